package be.idsvc.eid;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of trusted keys, given as certificates. Trust is decided by public key only: a look-alike
 * root with the same name but another key earns nothing. Names merely decide which anchor to try
 * first, so the happy path makes one signature check.
 */
final class TrustAnchors {
    private final List<X509Certificate> anchors;
    private final List<byte[]> keys;

    TrustAnchors(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
        List<byte[]> k = new ArrayList<>();
        for (X509Certificate a : this.anchors) k.add(a.getPublicKey().getEncoded());
        this.keys = List.copyOf(k);
    }

    boolean isEmpty() {
        return anchors.isEmpty();
    }

    List<X509Certificate> certificates() {
        return anchors;
    }

    /** True if the certificate's own key is an anchor key (an anchor pinned directly, e.g. an RRN
     * certificate whose root is not published). */
    boolean isAnchorKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        for (byte[] k : keys) if (Arrays.equals(k, encoded)) return true;
        return false;
    }

    /** True if an anchor's key signed the certificate. */
    boolean issued(X509Certificate cert) {
        return issuedByAnchorNamedAsIssuer(cert) || issuedByOtherAnchor(cert);
    }

    /** The normal case, and on the happy path the only signature check made. */
    boolean issuedByAnchorNamedAsIssuer(X509Certificate cert) {
        return anchorNamedAsIssuerThatSigned(cert) != null;
    }

    X509Certificate anchorNamedAsIssuerThatSigned(X509Certificate cert) {
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signedBy(cert, a.getPublicKey())) return a;
        }
        return null;
    }

    /** An anchor configured under another name than the issuer's (a renamed or re-issued CA with the
     * same key): still trusted, since trust is the key, at the price of trying each such anchor. */
    boolean issuedByOtherAnchor(X509Certificate cert) {
        return otherAnchorThatSigned(cert) != null;
    }

    X509Certificate otherAnchorThatSigned(X509Certificate cert) {
        for (X509Certificate a : anchors) {
            if (!a.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && signedBy(cert, a.getPublicKey())) return a;
        }
        return null;
    }

    static boolean signedBy(X509Certificate cert, PublicKey key) {
        try {
            if (key instanceof ECPublicKey) Ecdsa.verifyCertificate(cert, key);
            else cert.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
