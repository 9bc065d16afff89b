package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import be.idsvc.clientauth.CertificateThumbprint;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.testclient.RelyingParty;

/**
 * Trust changes reach both layers of the running server within 5 seconds, without a restart
 * (DESIGN §3): clients, pins and CAs are added and removed by writing the service home as the admin
 * CLI does, and each change is observed through real TLS handshakes and token requests.
 */
class TrustReloadIT {
    static final long DEADLINE_MILLIS = 5000;
    final TomcatServer s = TomcatServer.get();

    @Test
    void selfSignedClientWorksOnceRegisteredAndStopsWhenUnpinned() throws Exception {
        Issued cert = CertificateIssuer.selfSignedClient("CN=hot-self,O=Identification Service Test,C=BE");
        RelyingParty rp = new RelyingParty("hot-self", "http://127.0.0.1:8767/callback", s.mtlsBase(), s.sslContext(cert));
        assertFalse(handshakes(cert), "an unregistered self-signed certificate passed the TLS layer");

        pin(cert);
        writeClient("hot-self", "self_signed_tls_client_auth", null, "http://127.0.0.1:8767/callback", pinOf(cert));
        within("the new self-signed client is let in", () -> handshakes(cert));
        String at = (String) Flows.tokens(s, rp, "openid profile").get("access_token");
        assertEquals(200, rp.userinfo(at).statusCode());

        writeClient("hot-self", "self_signed_tls_client_auth", null, "http://127.0.0.1:8767/callback", "");
        within("the unpinned self-signed client is shut out at the TLS layer", () -> !handshakes(cert));
        assertRefused(rp, at);
        removeClient("hot-self");
    }

    @Test
    void caIssuedClientRotatesByPinsAndAPinRemovalRevokes() throws Exception {
        String dn = "CN=hot-ca,O=Identification Service Test,C=BE";
        Issued first = CertificateIssuer.client(s.demoCa(), dn);
        Issued second = CertificateIssuer.client(s.demoCa(), dn);
        RelyingParty one = new RelyingParty("hot-ca", "http://127.0.0.1:8768/callback", s.mtlsBase(), s.sslContext(first));
        RelyingParty two = new RelyingParty("hot-ca", "http://127.0.0.1:8768/callback", s.mtlsBase(), s.sslContext(second));

        writeClient("hot-ca", "tls_client_auth", dn, "http://127.0.0.1:8768/callback", pinOf(first));
        within("the new client can redeem codes", () -> redeems(one));
        String firstToken = (String) Flows.tokens(s, one, "openid").get("access_token");

        // Rotation, step 1: the new certificate is pinned next to the old one; both work.
        writeClient("hot-ca", "tls_client_auth", dn, "http://127.0.0.1:8768/callback", pinOf(first) + " " + pinOf(second));
        within("the second pin is accepted", () -> redeems(two));
        assertTrue(redeems(one));
        String secondToken = (String) Flows.tokens(s, two, "openid").get("access_token");
        assertEquals(401, two.userinfo(firstToken).statusCode(), "a token stays bound to the certificate that obtained it");

        // Rotation, step 2: the old pin is removed; its certificate is refused everywhere.
        writeClient("hot-ca", "tls_client_auth", dn, "http://127.0.0.1:8768/callback", pinOf(second));
        within("the removed pin is refused at the token endpoint", () -> !redeems(one));
        assertRefused(one, firstToken);
        assertEquals(200, two.userinfo(secondToken).statusCode());
        removeClient("hot-ca");
    }

    @Test
    void addingAndRemovingACaTakesEffectOnBothLayers() throws Exception {
        Issued ca = CertificateIssuer.certificateAuthority("CN=Hot Test CA,O=Identification Service Test,C=BE");
        String dn = "CN=hot-ca2,O=Identification Service Test,C=BE";
        Issued cert = CertificateIssuer.client(ca, dn);
        RelyingParty rp = new RelyingParty("hot-ca2", "http://127.0.0.1:8769/callback", s.mtlsBase(), s.sslContext(cert));
        writeClient("hot-ca2", "tls_client_auth", dn, "http://127.0.0.1:8769/callback", pinOf(cert));
        assertFalse(handshakes(cert), "a certificate of an untrusted CA passed the TLS layer");

        Path caFile = s.home().resolve("trust/client-ca/hot-test-ca.pem");
        atomicWrite(caFile, ca.certificatePem());
        within("the new CA's client is let in and can redeem", () -> handshakes(cert) && redeems(rp));

        Files.delete(caFile);
        within("the removed CA's client is shut out at the TLS layer", () -> !handshakes(cert));
        removeClient("hot-ca2");
    }

    @Test
    void anOpenKeepAliveConnectionSurvivesATrustReload() throws Exception {
        try (SSLSocket socket = (SSLSocket) s.sslContext(TomcatServer.DEMO_CLIENT).getSocketFactory()
                .createSocket("localhost", s.mtlsPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            assertEquals("HTTP/1.1 200 ", requestHealth(in, out));

            Issued ca = CertificateIssuer.certificateAuthority("CN=Reload Trigger CA,O=Identification Service Test,C=BE");
            Issued probe = CertificateIssuer.client(ca, "CN=probe,O=Identification Service Test,C=BE");
            Path caFile = s.home().resolve("trust/client-ca/reload-trigger.pem");
            atomicWrite(caFile, ca.certificatePem());
            try {
                within("the trust reload happened", () -> handshakes(probe));
                assertEquals("HTTP/1.1 200 ", requestHealth(in, out), "the open connection was dropped by the reload");
            } finally {
                Files.deleteIfExists(caFile);
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

    /** Whether a fresh connection with this certificate gets an HTTP answer from the mtls host. */
    private boolean handshakes(Issued cert) {
        try {
            new RelyingParty("probe", "http://127.0.0.1/cb", s.mtlsBase(), s.sslContext(cert)).get(s.mtlsBase().resolve("/health"), Map.of());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether the client can redeem a fresh code (its registration and pin are in force). */
    private boolean redeems(RelyingParty rp) {
        try {
            Flows.CodeAndAuth c = Flows.code(s, rp, "openid");
            return rp.token(c.code(), c.auth().verifier()).statusCode() == 200;
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    /**
     * The TLS layer may shut a certificate out before the application re-reads the registrations
     * (at most once a second), and a pooled keep-alive connection outlives the TLS change: so the
     * refusal is awaited within the deadline, like every other trust change here.
     */
    private static void assertRefused(RelyingParty rp, String accessToken) throws InterruptedException {
        within("the access token of the removed pin is refused", () -> refusedNow(rp, accessToken));
    }

    private static boolean refusedNow(RelyingParty rp, String accessToken) {
        try {
            HttpResponse<String> r = rp.userinfo(accessToken);
            return r.statusCode() == 401 && "invalid_token".equals(RelyingParty.json(r.body()).get("error"));
        } catch (RuntimeException e) {
            return true; // refused at the TLS layer: just as good
        }
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

    private void pin(Issued cert) throws IOException {
        atomicWrite(s.home().resolve("trust/pinned/" + pinOf(cert) + ".pem"), cert.certificatePem());
    }

    private void writeClient(String id, String method, String dn, String redirectUri, String pins) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("client_id=").append(id).append('\n').append("token_endpoint_auth_method=").append(method).append('\n');
        if (dn != null) b.append("tls_client_auth_subject_dn=").append(dn).append('\n');
        b.append("redirect_uris=").append(redirectUri).append('\n').append("scopes=openid profile\n")
                .append("pins=").append(pins).append('\n');
        atomicWrite(s.home().resolve("clients/" + id + ".properties"), b.toString());
    }

    private void removeClient(String id) throws IOException {
        Files.deleteIfExists(s.home().resolve("clients/" + id + ".properties"));
    }

    /** As the admin CLI writes: a temporary file moved into place, so readers never see half a file. */
    private static void atomicWrite(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp", ".part");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
