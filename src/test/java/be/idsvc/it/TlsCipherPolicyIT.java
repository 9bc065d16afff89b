package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every TLS connector of the shipped configuration offers, for TLS 1.2, only AEAD suites with
 * forward secrecy (issue 13, defect 14), and TLS 1.3 as before. Driven with OpenSSL's s_client, a
 * client that still offers the CBC suites, so that a refusal is the server's decision. The demo
 * server key is EC P-256, so the ECDSA variants are the ones that can be negotiated; the RSA
 * key-exchange (no forward secrecy) suites are tried too, though an EC key alone already rules
 * them out here.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class TlsCipherPolicyIT {
    static final Pattern NEGOTIATED = Pattern.compile("(?m)^New, (\\S+), Cipher is (\\S+)$");
    final ServerUnderTest s = ServerUnderTest.get();

    @ParameterizedTest(name = "{0} refuses TLS 1.2 {1}")
    @CsvSource({
            "public, ECDHE-ECDSA-AES128-SHA256", "public, ECDHE-ECDSA-AES256-SHA384", "public, ECDHE-ECDSA-AES128-SHA",
            "public, ECDHE-ECDSA-AES256-SHA", "public, AES128-GCM-SHA256", "public, AES256-SHA256",
            "mtls, ECDHE-ECDSA-AES128-SHA256", "mtls, ECDHE-ECDSA-AES256-SHA384", "mtls, ECDHE-ECDSA-AES128-SHA",
            "mtls, ECDHE-ECDSA-AES256-SHA", "mtls, AES128-GCM-SHA256", "mtls, AES256-SHA256"})
    void refusesTls12SuitesWithoutAeadOrForwardSecrecy(String connector, String suite) throws Exception {
        String out = sClient(connector, "-tls1_2", "-cipher", suite);
        Matcher m = NEGOTIATED.matcher(out);
        assertTrue(m.find(), out);
        assertEquals("(NONE)", m.group(2), connector + " negotiated " + suite + ":\n" + out);
        assertTrue(out.contains("alert handshake failure") || out.contains("alert number 40"),
                "the server refused with a handshake_failure alert (not a client-side error):\n" + out);
    }

    @ParameterizedTest(name = "{0} accepts TLS 1.2 {1}")
    @CsvSource({
            "public, ECDHE-ECDSA-AES128-GCM-SHA256", "public, ECDHE-ECDSA-AES256-GCM-SHA384", "public, ECDHE-ECDSA-CHACHA20-POLY1305",
            "mtls, ECDHE-ECDSA-AES128-GCM-SHA256", "mtls, ECDHE-ECDSA-AES256-GCM-SHA384", "mtls, ECDHE-ECDSA-CHACHA20-POLY1305"})
    void acceptsTls12AeadSuitesWithForwardSecrecy(String connector, String suite) throws Exception {
        assertNegotiated(connector, "TLSv1.2", suite, sClient(connector, "-tls1_2", "-cipher", suite));
    }

    @ParameterizedTest(name = "{0} prefers an AEAD suite when a TLS 1.2 client offers everything")
    @CsvSource({"public", "mtls"})
    void aTls12ClientOfferingEverythingGetsAnAeadSuite(String connector) throws Exception {
        String out = sClient(connector, "-tls1_2", "-cipher", "ALL");
        Matcher m = NEGOTIATED.matcher(out);
        assertTrue(m.find(), out);
        assertTrue(m.group(2).matches("ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)"),
                connector + " chose " + m.group(2));
    }

    @ParameterizedTest(name = "{0} accepts TLS 1.3 {1}")
    @CsvSource({
            "public, TLS_AES_128_GCM_SHA256", "public, TLS_AES_256_GCM_SHA384", "public, TLS_CHACHA20_POLY1305_SHA256",
            "mtls, TLS_AES_128_GCM_SHA256", "mtls, TLS_AES_256_GCM_SHA384", "mtls, TLS_CHACHA20_POLY1305_SHA256"})
    void acceptsTls13(String connector, String suite) throws Exception {
        assertNegotiated(connector, "TLSv1.3", suite, sClient(connector, "-tls1_3", "-ciphersuites", suite));
    }

    private static void assertNegotiated(String connector, String protocol, String suite, String out) {
        Matcher m = NEGOTIATED.matcher(out);
        assertTrue(m.find(), out);
        assertEquals(protocol + " " + suite, m.group(1) + " " + m.group(2), connector + ":\n" + out);
    }

    /** One handshake with {@code openssl s_client}; on mtls with demo-client's certificate, so only the suite decides. */
    private String sClient(String connector, String... options) throws IOException, InterruptedException {
        int port = switch (connector) {
            case "public" -> s.publicPort();
            case "mtls" -> s.mtlsPort();
            default -> throw new IllegalArgumentException(connector);
        };
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-CAfile", s.demoDir().resolve("ca.pem").toString(), "-verify_return_error"));
        if (connector.equals("mtls")) {
            cmd.addAll(List.of("-cert", s.demoDir().resolve("demo-client.pem").toString(),
                    "-key", s.demoDir().resolve("demo-client-key.pem").toString()));
        }
        cmd.addAll(List.of(options));
        Path log = Files.createTempFile("s_client", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("openssl s_client did not finish: " + String.join(" ", cmd));
            }
            return Files.readString(log, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
