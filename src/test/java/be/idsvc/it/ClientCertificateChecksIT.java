package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateIssuer.Spec;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.revocation.Pki;
import be.idsvc.testclient.RelyingParty;

/**
 * The application-layer certificate checks of issue 13 defect 11 on the real server: an expired
 * pinned self-signed certificate, a certificate whose extended key usage is serverAuth only, and a
 * client certificate under a revoked intermediate CA are each refused at /token with
 * {@code invalid_client}.
 *
 * <p>The JSSE trust manager of the mtls connector already refuses the first two in the handshake,
 * so for them the application is proven where it alone decides: a certificate forwarded in
 * {@code Client-Cert} to the proxy connector from the configured proxy address (a proxy that
 * verifies less than JSSE, e.g. nginx with {@code ssl_verify_client optional_no_ca}). Over mTLS
 * they are asserted refused, by the handshake or by {@code invalid_client}.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class ClientCertificateChecksIT {
    final ServerUnderTest s = ServerUnderTest.get();

    @Test
    void anExpiredPinnedSelfSignedCertificateIsInvalidClientAtToken() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Issued expired = CertificateIssuer.selfSignedClient("CN=expired-client", now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), CertificateIssuer.KeyType.EC_P256);
        String redirect = "http://127.0.0.1:8771/callback";
        // The CLI refuses to pin an expired certificate; this is one that expired after it was pinned.
        Path registration = s.home().resolve("clients/expired-client.properties");
        Files.writeString(registration, "client_id=expired-client\ntoken_endpoint_auth_method=self_signed_tls_client_auth\n"
                + "redirect_uris=" + redirect + "\nscopes=openid\npins=" + CertificateThumbprint.x5tS256(expired.certificate()) + "\n");
        try {
            RelyingParty rp = new RelyingParty("expired-client", redirect, s.mtlsBase(), s.sslContext(expired));
            Flows.CodeAndAuth c = codeWithin5Seconds(rp);
            assertRefusedOverMtls(rp, c);
            // the mtls deployment re-reads clients/ on its own schedule: until it has, the same
            // request is refused as an unknown client; ask again until the refusal names the expiry
            String why = "client authentication failed for expired-client: the certificate expired at ";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            do {
                assertInvalidClientViaProxy(rp, c, expired);
                if (s.log().contains(why)) break;
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            assertTrue(s.log().contains(why), "the log says why");
        } finally {
            Files.deleteIfExists(registration);
        }
    }

    @Test
    void aCertificateForServerAuthenticationOnlyIsRefused() throws Exception {
        String dn = "CN=server-auth-only,O=Identification Service Test,C=BE";
        Issued serverOnly = CertificateIssuer.issue(Spec.endEntity(dn, Duration.ofDays(30))
                .withExtendedKeyUsages(KeyPurposeId.id_kp_serverAuth), s.demoCa());
        String redirect = "http://127.0.0.1:8772/callback";
        AdminCli.run(s, "client", "add", "server-auth-only", "--auth", "tls_client_auth", "--subject-dn", dn,
                "--redirect-uri", redirect, "--scopes", "openid", "--cert", AdminCli.file(serverOnly.certificatePem()));
        try {
            RelyingParty rp = new RelyingParty("server-auth-only", redirect, s.mtlsBase(), s.sslContext(serverOnly));
            Flows.CodeAndAuth c = codeWithin5Seconds(rp);
            assertRefusedOverMtls(rp, c);
            // as above: ask again until the mtls deployment has read the client and names the reason
            String why = "client authentication failed for server-auth-only: the certificate's extended key usage"
                    + " does not allow TLS client authentication";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            do {
                assertInvalidClientViaProxy(rp, c, serverOnly);
                if (s.log().contains(why)) break;
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            assertTrue(s.log().contains(why), "the log says why");
        } finally {
            AdminCli.run(s, "client", "remove", "server-auth-only");
        }
    }

    @Test
    void aClientUnderARevokedIntermediateIsInvalidClientAtToken() throws Exception {
        Issued intermediate = CertificateIssuer.issue(
                Spec.endEntity("CN=IT Intermediate CA,O=Identification Service Test,C=BE", Duration.ofDays(365)).asCa(0), s.demoCa());
        String dn = "CN=under-intermediate,O=Identification Service Test,C=BE";
        Issued leaf = CertificateIssuer.client(intermediate, dn);
        String redirect = "http://127.0.0.1:8773/callback";
        AdminCli.run(s, "client", "add", "under-intermediate", "--auth", "tls_client_auth", "--subject-dn", dn,
                "--redirect-uri", redirect, "--scopes", "openid", "--cert", AdminCli.file(leaf.chainPem()));
        try {
            RelyingParty rp = new RelyingParty("under-intermediate", redirect, s.mtlsBase(), s.sslContext(leaf));
            // the mtls deployment re-reads clients/ on its own schedule (at most once a second): until
            // it has, the new client is unknown there (401, and the code is not consumed)
            Flows.CodeAndAuth first = codeWithin5Seconds(rp);
            HttpResponse<String> before;
            long known = System.currentTimeMillis() + 5000;
            do {
                before = token(rp, first);
                if (before.statusCode() != 401) break;
                Thread.sleep(200);
            } while (System.currentTimeMillis() < known);
            assertEquals(200, before.statusCode(), "the chain through the intermediate works before the revocation: " + before.body());

            // the root's CRL lists the intermediate; the leaf itself is listed nowhere
            Instant now = Instant.now();
            AdminCli.run(s, "crl", "import", AdminCli.file(Pki.pem(Pki.crl(s.demoCa(), now.minusSeconds(60), now.plus(Duration.ofDays(1)),
                    Map.of(intermediate.certificate().getSerialNumber(), now.minusSeconds(30))))));
            Flows.CodeAndAuth c = codeWithin5Seconds(rp);
            HttpResponse<String> after = null;
            long end = System.currentTimeMillis() + 5000;
            do {
                after = token(rp, c);
                if (after.statusCode() == 401) break;
                Thread.sleep(200);
            } while (System.currentTimeMillis() < end);
            assertEquals(401, after.statusCode(), after.body());
            assertEquals("invalid_client", RelyingParty.json(after.body()).get("error"));
            assertTrue(s.log().contains("revocation: refused client under-intermediate certificate x5t#S256="
                    + CertificateThumbprint.x5tS256(intermediate.certificate())), "the log names the revoked intermediate");
            RelyingParty demo = Flows.demoClient(s);
            assertEquals(200, demo.userinfo((String) Flows.tokens(s, demo, "openid").get("access_token")).statusCode(),
                    "a client issued by the root directly is not affected");
        } finally {
            Path crls = s.home().resolve("trust/crl");
            if (Files.isDirectory(crls)) {
                try (var files = Files.newDirectoryStream(crls)) {
                    for (Path f : files) Files.delete(f);
                }
            }
            AdminCli.run(s, "client", "remove", "under-intermediate");
        }
    }

    /** Over the mtls connector: the handshake fails, or /token answers invalid_client. */
    private void assertRefusedOverMtls(RelyingParty rp, Flows.CodeAndAuth c) {
        try {
            HttpResponse<String> direct = token(rp, c);
            assertEquals(401, direct.statusCode(), direct.body());
            assertEquals("invalid_client", RelyingParty.json(direct.body()).get("error"));
        } catch (UncheckedIOException handshakeRefused) {
            assertTrue(handshakeRefused.getCause() instanceof javax.net.ssl.SSLException, handshakeRefused.toString());
        }
    }

    /** Forwarded by the proxy, where only the application decides: invalid_client, and the code is not used up. */
    private void assertInvalidClientViaProxy(RelyingParty rp, Flows.CodeAndAuth c, Issued cert) throws Exception {
        String header = ":" + Base64.getEncoder().encodeToString(cert.certificate().getEncoded()) + ":";
        ProxyHop.Response forwarded = ProxyHop.send(s, "POST", "/token", RelyingParty.form(tokenForm(rp, c)), List.of(header), null);
        assertEquals(401, forwarded.status(), forwarded.body());
        assertEquals("invalid_client", RelyingParty.json(forwarded.body()).get("error"));
    }

    /**
     * A code for a client just registered (the home is re-read within a second or two). The
     * authorization request is built with demo-client's connection (discovery is on the mtls host),
     * as the client under test may not be able to complete a handshake.
     */
    private Flows.CodeAndAuth codeWithin5Seconds(RelyingParty rp) throws InterruptedException {
        RelyingParty asClient = new RelyingParty(rp.clientId(), rp.redirectUri(), s.mtlsBase(), s.sslContext(ServerUnderTest.DEMO_CLIENT));
        long end = System.currentTimeMillis() + 5000;
        while (true) {
            try {
                return Flows.code(s, asClient, "openid");
            } catch (AssertionError | RuntimeException e) {
                if (System.currentTimeMillis() > end) throw e;
                Thread.sleep(200);
            }
        }
    }

    private HttpResponse<String> token(RelyingParty rp, Flows.CodeAndAuth c) {
        return rp.postForm(s.mtlsBase().resolve("/token"), tokenForm(rp, c));
    }

    private static Map<String, String> tokenForm(RelyingParty rp, Flows.CodeAndAuth c) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", c.code());
        form.put("redirect_uri", rp.redirectUri());
        form.put("code_verifier", c.auth().verifier());
        form.put("client_id", rp.clientId());
        return form;
    }
}
