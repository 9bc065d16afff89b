package be.idsvc.clientauth;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;

/**
 * Whether a client's own certificate may be used for TLS client authentication now: within its
 * validity dates, with {@code digitalSignature} where it has a key usage extension and with
 * {@code clientAuth} where it has an extended key usage extension (RFC 5280 §4.2.1.3, §4.2.1.12).
 *
 * <p>The TLS layer does not settle this for the application: a pinned self-signed certificate is
 * its own trust anchor, whose dates JSSE does not check, and a certificate forwarded by a proxy in
 * {@code Client-Cert} reaches the application with only the proxy's word for it. An
 * {@code anyExtendedKeyUsage} alone is not enough: a certificate that names purposes must name
 * client authentication.
 */
public final class ClientCertificateUsage {
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DIGITAL_SIGNATURE = 0;

    private ClientCertificateUsage() {}

    /** Null when the certificate may authenticate a client at {@code now}, else why not (for the log). */
    public static String problem(X509Certificate c, Date now) {
        try {
            c.checkValidity(now);
        } catch (CertificateExpiredException e) {
            return "the certificate expired at " + c.getNotAfter().toInstant();
        } catch (CertificateNotYetValidException e) {
            return "the certificate is valid only from " + c.getNotBefore().toInstant();
        }
        boolean[] usage = c.getKeyUsage();
        if (usage != null && (usage.length <= DIGITAL_SIGNATURE || !usage[DIGITAL_SIGNATURE])) {
            return "the certificate's key usage lacks digitalSignature";
        }
        List<String> purposes;
        try {
            purposes = c.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return "the certificate's extended key usage cannot be read";
        }
        if (purposes != null && !purposes.contains(CLIENT_AUTH)) {
            return "the certificate's extended key usage does not allow TLS client authentication";
        }
        return null;
    }
}
