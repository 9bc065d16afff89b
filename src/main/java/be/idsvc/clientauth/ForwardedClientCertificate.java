package be.idsvc.clientauth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import be.idsvc.pki.Pem;

/**
 * The client certificate a TLS-terminating proxy forwards in the {@code Client-Cert} header, in one
 * of two exact forms: RFC 9440 (a structured-field byte sequence {@code :base64(DER):}, no
 * parameters) or the URL-encoded PEM of nginx's {@code $ssl_client_escaped_cert} (one
 * {@code CERTIFICATE} block, nothing else). Parsing is strict and total: any other input, however
 * odd, is an {@link IllegalArgumentException} with a fixed message, never another exception.
 * Whether to believe the header at all is decided by the caller.
 */
public final class ForwardedClientCertificate {
    public static final String HEADER = "Client-Cert";
    /** Generous for one certificate (a 4096-bit RSA certificate with a long chain of extensions is ~3 KB as PEM). */
    static final int MAX_LENGTH = 12_000;

    private static final Pattern BYTE_SEQUENCE = Pattern.compile(":([A-Za-z0-9+/]*={0,2}):");
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----\r?\n?");
    private static final String NOT_A_CERTIFICATE = "the Client-Cert header does not hold exactly one X.509 certificate";

    private ForwardedClientCertificate() {}

    /** The certificate, or {@link IllegalArgumentException} with a message safe to return. */
    public static X509Certificate parse(String header) {
        if (header == null || header.isBlank()) throw new IllegalArgumentException("the Client-Cert header is empty");
        if (header.length() > MAX_LENGTH) throw new IllegalArgumentException("the Client-Cert header is too long");
        String v = header.strip();
        byte[] der;
        Matcher sequence = BYTE_SEQUENCE.matcher(v);
        if (sequence.matches()) {
            der = base64(sequence.group(1));
        } else if (v.startsWith("-----BEGIN")) {
            der = pemBody(percentDecode(v));
        } else {
            throw new IllegalArgumentException("the Client-Cert header is neither an RFC 9440 byte sequence nor URL-encoded PEM");
        }
        return certificate(der);
    }

    /** The DER of the single PEM block, which must be the whole text. */
    private static byte[] pemBody(String pem) {
        Matcher m = PEM.matcher(pem);
        if (!m.matches()) throw new IllegalArgumentException(NOT_A_CERTIFICATE);
        String base64 = m.group(1).replace("\r", "").replace("\n", "");
        return base64(base64);
    }

    /** Padded standard base64 only (what both forms carry); the decoder's own message is not for the caller. */
    private static byte[] base64(String text) {
        if (text.length() % 4 != 0) throw new IllegalArgumentException(NOT_A_CERTIFICATE);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NOT_A_CERTIFICATE);
        }
    }

    /**
     * Exactly one certificate and nothing after it: CertificateFactory would also read PEM text, or
     * ignore trailing bytes, so the certificate must re-encode to the very bytes received.
     */
    private static X509Certificate certificate(byte[] der) {
        if (der.length == 0) throw new IllegalArgumentException(NOT_A_CERTIFICATE);
        try {
            X509Certificate cert = Pem.toX509(der);
            if (!Arrays.equals(cert.getEncoded(), der)) throw new IllegalArgumentException(NOT_A_CERTIFICATE);
            return cert;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            // Pem.PemException, CertificateEncodingException, or whatever a hostile DER provokes in the parser
            throw new IllegalArgumentException(NOT_A_CERTIFICATE);
        }
    }

    /** Percent-decoding only ('+' is base64, not a space, in an escaped PEM); a broken escape is refused. */
    private static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw new IllegalArgumentException(NOT_A_CERTIFICATE);
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new IllegalArgumentException(NOT_A_CERTIFICATE);
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                out.write(c);
            } else {
                throw new IllegalArgumentException(NOT_A_CERTIFICATE);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
