package be.idsvc.clientauth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import be.idsvc.pki.Pem;

/**
 * The client certificate a TLS-terminating proxy forwards in the {@code Client-Cert} header: RFC 9440
 * (a structured-field byte sequence, {@code :base64(DER):}) or the URL-encoded PEM that nginx's
 * {@code $ssl_client_escaped_cert} produces. Whether to believe the header at all is decided by the
 * caller (only from configured proxy addresses).
 */
public final class ForwardedClientCertificate {
    public static final String HEADER = "Client-Cert";
    /** Generous for one certificate, small enough to refuse junk early. */
    static final int MAX_LENGTH = 12_000;

    private ForwardedClientCertificate() {}

    /** The certificate, or {@link IllegalArgumentException} with a message safe to return. */
    public static X509Certificate parse(String header) {
        if (header == null || header.isBlank()) throw new IllegalArgumentException("the Client-Cert header is empty");
        if (header.length() > MAX_LENGTH) throw new IllegalArgumentException("the Client-Cert header is too long");
        String v = header.trim();
        try {
            if (v.startsWith(":") && v.endsWith(":") && v.length() > 2) {
                return Pem.toX509(Base64.getDecoder().decode(v.substring(1, v.length() - 1)));
            }
            String pem = percentDecode(v);
            if (pem.startsWith("-----BEGIN CERTIFICATE-----")) {
                List<X509Certificate> certs = Pem.certificates(pem);
                return certs.get(0);
            }
        } catch (IllegalArgumentException | Pem.PemException e) {
            throw new IllegalArgumentException("the Client-Cert header does not hold a certificate");
        }
        throw new IllegalArgumentException("the Client-Cert header is neither an RFC 9440 byte sequence nor URL-encoded PEM");
    }

    /** Percent-decoding only: '+' is base64, not a space, in an escaped PEM. */
    private static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
