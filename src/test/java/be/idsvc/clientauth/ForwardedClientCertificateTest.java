package be.idsvc.clientauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.Pem;

/** Issue 13 defect 10: whatever a proxy (or anyone) puts in Client-Cert is a certificate or an IllegalArgumentException. */
class ForwardedClientCertificateTest {
    static final X509Certificate CERT = CertificateIssuer.selfSignedClient("CN=forwarded,O=Test,C=BE").certificate();
    static final String DER_B64 = b64(CERT);
    static final String PEM = Pem.encode(CERT);

    static String b64(X509Certificate c) {
        try {
            return Base64.getEncoder().encodeToString(c.getEncoded());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String escaped(String pem) {
        return URLEncoder.encode(pem, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void rfc9440ByteSequence() throws Exception {
        assertArrayEquals(CERT.getEncoded(), ForwardedClientCertificate.parse(":" + DER_B64 + ":").getEncoded());
    }

    @Test
    void nginxEscapedPem() throws Exception {
        assertArrayEquals(CERT.getEncoded(), ForwardedClientCertificate.parse(escaped(PEM)).getEncoded());
    }

    static Stream<String> malformed() {
        String body = PEM.substring(PEM.indexOf('\n') + 1, PEM.indexOf("-----END"));
        return Stream.of(
                "", " ", ":", "::", ":=:", ":not base64!:", ":bm90IGEgY2VydGlmaWNhdGU=:", ":" + DER_B64, DER_B64 + ":",
                ":" + DER_B64.substring(1) + ":", ":" + DER_B64 + ":;a=1", ":" + DER_B64 + ":, :" + DER_B64 + ":",
                ":" + b64bytes(PEM.getBytes(StandardCharsets.US_ASCII)) + ":",                 // PEM text inside the byte sequence
                ":" + b64bytes(concat(der(), new byte[] {0, 0})) + ":",                       // trailing bytes after the DER
                ":" + b64bytes(java.util.Arrays.copyOf(der(), der().length - 10)) + ":",      // truncated DER
                ":" + b64bytes(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}) + ":", // absurd ASN.1 length
                escaped(PEM + PEM),                                                            // two certificates
                escaped(PEM.replace("CERTIFICATE", "PRIVATE KEY")),
                escaped("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
                escaped("-----BEGIN CERTIFICATE-----\n" + body.substring(2) + "-----END CERTIFICATE-----\n"),
                escaped("-----BEGIN CERTIFICATE-----\n" + body.replace('A', '*') + "-----END CERTIFICATE-----\n"),
                escaped("-----BEGIN CERTIFICATE-----\n" + body + "-----END CERTIFICATE-----\ntrailing"),
                escaped(PEM).replace("%0A", "%0"), escaped(PEM).replace("%0A", "%zz"), escaped(PEM) + "%", escaped(PEM) + "%4",
                "-----BEGIN CERTIFICATE-----", "-----BEGIN%20CERTIFICATE-----%0A%0A-----END%20CERTIFICATE-----",
                "-----BEGIN CERTIFICATE-----\u0000", escaped(PEM).replace("%0A", "\u00e9"),
                "x".repeat(ForwardedClientCertificate.MAX_LENGTH + 1), ":" + "A".repeat(ForwardedClientCertificate.MAX_LENGTH) + ":");
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedInputIsAnIllegalArgumentWithAFixedMessage(String header) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForwardedClientCertificate.parse(header));
        assertEquals(true, e.getMessage().startsWith("the Client-Cert header "), e.getMessage());
    }

    /** A bounded seeded mutation run: flips, cuts and splices of both forms never escape as anything else. */
    @Test
    void mutatedHeadersNeverThrowAnythingElse() {
        Random random = new Random(13);
        String[] seeds = {":" + DER_B64 + ":", escaped(PEM)};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder h = new StringBuilder(seeds[i % 2]);
            for (int m = 1 + random.nextInt(4); m > 0; m--) {
                int at = random.nextInt(h.length());
                switch (random.nextInt(3)) {
                    case 0 -> h.setCharAt(at, (char) (0x20 + random.nextInt(0x5f)));
                    case 1 -> h.delete(at, Math.min(h.length(), at + 1 + random.nextInt(8)));
                    default -> h.insert(at, "%:=+/-\n".charAt(random.nextInt(7)));
                }
                if (h.length() == 0) h.append(':');
            }
            try {
                ForwardedClientCertificate.parse(h.toString());
            } catch (IllegalArgumentException expected) {
                // the only allowed refusal
            }
        }
    }

    static byte[] der() {
        try {
            return CERT.getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String b64bytes(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
