package be.idsvc.eid;

import java.security.cert.X509Certificate;

/**
 * Whether a card's authentication certificate is still in force. The verifier asks only after the
 * certificate's path, validity, national number and the challenge signature all passed, so a forged
 * or replayed readout never makes the service contact a CRL or OCSP server.
 *
 * <p>Kept as an interface so the servlet-free verifier does not depend on how revocation is fetched
 * (the service adapts the client-certificate revocation checker, {@code be.idsvc.eid.EidRevocation}).
 */
@FunctionalInterface
public interface AuthCertificateRevocation {
    /** No revocation source: every certificate that passed the other checks is in force. */
    AuthCertificateRevocation NONE = (certificate, issuer) -> {};

    /**
     * @param certificate the authentication certificate, already validated
     * @param issuer the certificate that issued it: a citizen CA anchor or the card's own {@code cacert}
     * @throws ReadoutRejected {@code AUTH_CERT_REVOKED}, or {@code AUTH_CERT_REVOCATION_UNKNOWN} when no
     *         status could be obtained and the policy refuses such certificates
     */
    void check(X509Certificate certificate, X509Certificate issuer) throws ReadoutRejected;
}
