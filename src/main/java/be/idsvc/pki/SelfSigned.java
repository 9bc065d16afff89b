package be.idsvc.pki;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * Whether a certificate is self-signed: it names itself as issuer and its own key verifies its
 * signature (a matching name alone proves nothing). Used to drop a root from a presented chain and
 * to tell self-signed client certificates from CA-issued ones.
 */
public final class SelfSigned {
    private SelfSigned() {}

    public static boolean is(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) return false;
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            // a signature that cannot be checked does not make a certificate self-signed
            return false;
        }
    }
}
