package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.testclient.RelyingParty;

/**
 * Trust changes reach both layers of the running server within 5 seconds, without a restart
 * (DESIGN §3): clients, pins and CAs are added and removed with the admin CLI on the server's home,
 * and each change is observed through real TLS handshakes and token requests.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class TrustReloadIT {
    static final long DEADLINE_MILLIS = 5000;
    final ServerUnderTest s = ServerUnderTest.get();

    @Test
    void selfSignedClientWorksOnceRegisteredAndStopsWhenUnpinned() throws Exception {
        Issued cert = CertificateIssuer.selfSignedClient("CN=hot-self,O=Identification Service Test,C=BE");
        RelyingParty rp = new RelyingParty("hot-self", "http://127.0.0.1:8767/callback", s.mtlsBase(), s.sslContext(cert));
        assertFalse(handshakes(cert), "an unregistered self-signed certificate passed the TLS layer");

        AdminCli.run(s, "client", "add", "hot-self", "--auth", "self_signed_tls_client_auth",
                "--redirect-uri", "http://127.0.0.1:8767/callback", "--scopes", "openid profile", "--cert", AdminCli.file(cert.certificatePem()));
        // both layers: the TLS layer may reload before the public host re-reads clients/ (each within about a second)
        within("the new self-signed client is let in", () -> handshakes(cert) && redeems(rp));
        String at = (String) Flows.tokens(s, rp, "openid profile").get("access_token");
        assertEquals(200, rp.userinfo(at).statusCode());

        AdminCli.run(s, "pin", "remove", "hot-self", pinOf(cert));
        within("the unpinned self-signed client is shut out at the TLS layer", () -> !handshakes(cert));
        assertRefused(rp, at);
        AdminCli.run(s, "client", "remove", "hot-self");
    }

    @Test
    void caIssuedClientRotatesByPinsAndAPinRemovalRevokes() throws Exception {
        String dn = "CN=hot-ca,O=Identification Service Test,C=BE";
        Issued first = CertificateIssuer.client(s.demoCa(), dn);
        Issued second = CertificateIssuer.client(s.demoCa(), dn);
        RelyingParty one = new RelyingParty("hot-ca", "http://127.0.0.1:8768/callback", s.mtlsBase(), s.sslContext(first));
        RelyingParty two = new RelyingParty("hot-ca", "http://127.0.0.1:8768/callback", s.mtlsBase(), s.sslContext(second));

        AdminCli.run(s, "client", "add", "hot-ca", "--auth", "tls_client_auth", "--subject-dn", dn,
                "--redirect-uri", "http://127.0.0.1:8768/callback", "--scopes", "openid profile", "--cert", AdminCli.file(first.certificatePem()));
        within("the new client can redeem codes", () -> redeems(one));
        String firstToken = (String) Flows.tokens(s, one, "openid").get("access_token");

        // Rotation, step 1: the new certificate is pinned next to the old one; both work.
        AdminCli.run(s, "pin", "add", "hot-ca", AdminCli.file(second.certificatePem()));
        within("the second pin is accepted", () -> redeems(two));
        assertTrue(redeems(one));
        String secondToken = (String) Flows.tokens(s, two, "openid").get("access_token");
        assertEquals(401, two.userinfo(firstToken).statusCode(), "a token stays bound to the certificate that obtained it");

        // Rotation, step 2: the old pin is removed; its certificate is refused everywhere.
        AdminCli.run(s, "pin", "remove", "hot-ca", pinOf(first));
        within("the removed pin is refused at the token endpoint", () -> !redeems(one));
        assertRefused(one, firstToken);
        assertEquals(200, two.userinfo(secondToken).statusCode());
        AdminCli.run(s, "client", "remove", "hot-ca");
    }

    @Test
    void addingAndRemovingACaTakesEffectOnBothLayers() throws Exception {
        Issued ca = CertificateIssuer.certificateAuthority("CN=Hot Test CA,O=Identification Service Test,C=BE");
        String dn = "CN=hot-ca2,O=Identification Service Test,C=BE";
        Issued cert = CertificateIssuer.client(ca, dn);
        RelyingParty rp = new RelyingParty("hot-ca2", "http://127.0.0.1:8769/callback", s.mtlsBase(), s.sslContext(cert));
        AdminCli.run(s, "client", "add", "hot-ca2", "--auth", "tls_client_auth", "--subject-dn", dn,
                "--redirect-uri", "http://127.0.0.1:8769/callback", "--scopes", "openid profile");
        assertFalse(handshakes(cert), "a certificate of an untrusted CA passed the TLS layer");

        AdminCli.run(s, "ca", "add", AdminCli.file(ca.certificatePem()), "--name", "hot-test-ca");
        AdminCli.run(s, "pin", "add", "hot-ca2", AdminCli.file(cert.certificatePem()));
        within("the new CA's client is let in and can redeem", () -> handshakes(cert) && redeems(rp));

        AdminCli.run(s, "ca", "remove", "hot-test-ca");
        within("the removed CA's client is shut out at the TLS layer", () -> !handshakes(cert));
        AdminCli.run(s, "client", "remove", "hot-ca2");
    }

    /**
     * Issue 13, defect 2: one registration that stops parsing used to freeze the whole registry at
     * its last good contents, so a pin removal on another client was ignored. Now the broken
     * client is refused at /token (never served from its old version) and the removal applies.
     */
    @Test
    void aBrokenClientFileDisablesThatClientWhileAPinRemovalOnAnotherTakesEffect() throws Exception {
        String brokenDn = "CN=hot-broken,O=Identification Service Test,C=BE";
        String otherDn = "CN=hot-other,O=Identification Service Test,C=BE";
        Issued brokenCert = CertificateIssuer.client(s.demoCa(), brokenDn);
        Issued first = CertificateIssuer.client(s.demoCa(), otherDn);
        Issued second = CertificateIssuer.client(s.demoCa(), otherDn);
        RelyingParty broken = new RelyingParty("hot-broken", "http://127.0.0.1:8770/callback", s.mtlsBase(), s.sslContext(brokenCert));
        RelyingParty one = new RelyingParty("hot-other", "http://127.0.0.1:8771/callback", s.mtlsBase(), s.sslContext(first));
        RelyingParty two = new RelyingParty("hot-other", "http://127.0.0.1:8771/callback", s.mtlsBase(), s.sslContext(second));
        AdminCli.run(s, "client", "add", "hot-broken", "--auth", "tls_client_auth", "--subject-dn", brokenDn,
                "--redirect-uri", "http://127.0.0.1:8770/callback", "--cert", AdminCli.file(brokenCert.certificatePem()));
        AdminCli.run(s, "client", "add", "hot-other", "--auth", "tls_client_auth", "--subject-dn", otherDn,
                "--redirect-uri", "http://127.0.0.1:8771/callback", "--cert", AdminCli.file(first.certificatePem()));
        AdminCli.run(s, "pin", "add", "hot-other", AdminCli.file(second.certificatePem()));
        java.nio.file.Path file = s.home().resolve("clients/hot-broken.properties");
        String registration = java.nio.file.Files.readString(file);
        try {
            within("both clients can redeem", () -> redeems(broken) && redeems(one) && redeems(two));
            Flows.CodeAndAuth pending = Flows.code(s, broken, "openid");

            java.nio.file.Files.writeString(file, registration.replaceAll("(?m)^redirect_uris=.*$", "redirect_uris="));
            AdminCli.run(s, "pin", "remove", "hot-other", pinOf(first));

            within("the pin removed from the other client is refused at the token endpoint", () -> !redeems(one));
            assertTrue(redeems(two), "the other client's remaining pin stopped working");
            HttpResponse<String> r = broken.token(pending.code(), pending.auth().verifier());
            assertEquals(401, r.statusCode(), r.body());
            assertEquals("invalid_client", RelyingParty.json(r.body()).get("error"));
            assertFalse(redeems(broken), "the broken client can still start a flow");
        } finally {
            java.nio.file.Files.writeString(file, registration);
            AdminCli.run(s, "client", "remove", "hot-broken");
            AdminCli.run(s, "client", "remove", "hot-other");
        }
    }

    @Test
    void anOpenKeepAliveConnectionSurvivesATrustReload() throws Exception {
        try (SSLSocket socket = (SSLSocket) s.sslContext(ServerUnderTest.DEMO_CLIENT).getSocketFactory()
                .createSocket("localhost", s.mtlsPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            assertEquals("HTTP/1.1 200 ", requestHealth(in, out));

            Issued ca = CertificateIssuer.certificateAuthority("CN=Reload Trigger CA,O=Identification Service Test,C=BE");
            Issued probe = CertificateIssuer.client(ca, "CN=probe,O=Identification Service Test,C=BE");
            AdminCli.run(s, "ca", "add", AdminCli.file(ca.certificatePem()), "--name", "reload-trigger");
            try {
                within("the trust reload happened", () -> handshakes(probe));
                assertEquals("HTTP/1.1 200 ", requestHealth(in, out), "the open connection was dropped by the reload");
            } finally {
                AdminCli.run(s, "ca", "remove", "reload-trigger");
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String requestHealth(BufferedReader in, OutputStream out) throws IOException {
        out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String status = in.readLine();
        int length = 0;
        for (String line; !(line = in.readLine()).isEmpty();) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        for (int i = 0; i < length; i++) in.read();
        return status.substring(0, Math.min(status.length(), 13));
    }

    /**
     * Whether a fresh connection with this certificate gets an HTTP answer from the mtls host (true)
     * or is refused at the TLS layer (false); any other failure fails the test.
     */
    private boolean handshakes(Issued cert) {
        try {
            new RelyingParty("probe", "http://127.0.0.1/cb", s.mtlsBase(), s.sslContext(cert)).get(s.mtlsBase().resolve("/health"), Map.of());
            return true;
        } catch (UncheckedIOException e) {
            return !TlsRefusal.refused(e);
        }
    }

    /**
     * Whether the client can redeem a fresh code (its registration and pin are in force). Not yet:
     * the public host does not know the client (Flows sees no identify page), the token endpoint
     * refuses, or the TLS layer does; any other failure fails the test.
     */
    private boolean redeems(RelyingParty rp) {
        Flows.CodeAndAuth c;
        try {
            c = Flows.code(s, rp, "openid");
        } catch (AssertionError e) {
            return false;
        }
        try {
            return rp.token(c.code(), c.auth().verifier()).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return !TlsRefusal.refused(e);
        }
    }

    /**
     * Within the deadline, userinfo refuses the token: with 401 invalid_token from the application
     * layer, or at the TLS layer for a new connection. The two layers reload independently (each
     * within about a second), so an open connection may briefly still reach the old registry.
     */
    private static void assertRefused(RelyingParty rp, String accessToken) throws InterruptedException {
        within("userinfo refuses the token of the removed certificate", () -> {
            try {
                HttpResponse<String> r = rp.userinfo(accessToken);
                return r.statusCode() == 401 && "invalid_token".equals(RelyingParty.json(r.body()).get("error"));
            } catch (UncheckedIOException e) {
                return TlsRefusal.refused(e); // refused at the TLS layer, or the test fails
            }
        });
    }

    private static void within(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(200);
        }
        if (!condition.getAsBoolean()) fail("not within " + DEADLINE_MILLIS + " ms: " + what);
    }

    private static String pinOf(Issued cert) {
        return CertificateThumbprint.x5tS256(cert.certificate());
    }
}
