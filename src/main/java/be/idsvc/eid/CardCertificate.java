package be.idsvc.eid;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Reads a certificate file from the card, whose DER is followed by zero padding. */
final class CardCertificate {
    private CardCertificate() {}

    /** The certificate, or null when the file does not hold one. */
    static X509Certificate parse(byte[] file) {
        int length = DerLength.ofSequence(file);
        if (length < 0) return null;
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(file, 0, length));
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }

    /** The DER length of the certificate at the start of the file, padding excluded (-1 if none). */
    static int length(byte[] file) {
        return DerLength.ofSequence(file);
    }
}
