package be.idsvc.eid;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A set of trusted certificates. A certificate is trusted when it is one of them, byte for byte (a
 * pinned certificate, e.g. an RRN certificate whose root is not published), or when one of them
 * that may issue certificates signed it. Names merely decide which anchor to try first, so the
 * happy path makes one signature check; a look-alike with an anchor's name, or even its public key,
 * but without that anchor's signature earns nothing.
 */
final class TrustAnchors {
    private static final int KEY_CERT_SIGN = 5;

    private final List<X509Certificate> anchors;

    TrustAnchors(List<X509Certificate> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    boolean isEmpty() {
        return anchors.isEmpty();
    }

    List<X509Certificate> certificates() {
        return anchors;
    }

    /** True if the certificate is itself one of the anchors (same DER encoding). */
    boolean contains(X509Certificate cert) {
        return anchors.contains(cert);
    }

    /**
     * The anchor that signed {@code cert} and may issue certificates, or null. The anchor named as
     * the certificate's issuer is tried first; then the others, since trust is the key and a renamed
     * or re-issued CA keeps it.
     *
     * @param strict production rules: an anchor must say it is a CA (basic constraints) and carry a
     *        key usage with keyCertSign; otherwise a missing key usage is tolerated (old test roots)
     */
    X509Certificate issuerOf(X509Certificate cert, boolean strict) {
        X509Certificate named = namedIssuerOf(cert, strict);
        return named != null ? named : otherIssuerOf(cert, strict);
    }

    /** The normal case, and on the happy path the only signature check made. */
    X509Certificate namedIssuerOf(X509Certificate cert, boolean strict) {
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && mayIssue(a, strict) && signedBy(cert, a.getPublicKey())) {
                return a;
            }
        }
        return null;
    }

    /** An anchor configured under another name than the issuer's, at the price of trying each. */
    X509Certificate otherIssuerOf(X509Certificate cert, boolean strict) {
        for (X509Certificate a : anchors) {
            if (!a.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && mayIssue(a, strict) && signedBy(cert, a.getPublicKey())) {
                return a;
            }
        }
        return null;
    }

    /**
     * Whether a CA certificate may sign certificates: a key usage, where present, must allow
     * keyCertSign (RFC 5280 §4.2.1.3); under production rules it must be present, and the
     * certificate must be a CA (basic constraints).
     */
    static boolean mayIssue(X509Certificate ca, boolean strict) {
        boolean[] usage = ca.getKeyUsage();
        if (usage == null) return !strict;
        if (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN]) return false;
        return !strict || ca.getBasicConstraints() >= 0;
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
