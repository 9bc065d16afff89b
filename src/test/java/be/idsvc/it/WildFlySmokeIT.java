package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import be.idsvc.admin.IdsvcCli;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;
import be.idsvc.testclient.TlsContexts;

/**
 * The WAR on WildFly 39 (server-config/wildfly/configure.cli, scripts/wildfly): both deployments
 * on their own HTTPS listeners, the mtls one demanding a client certificate, the role, home and
 * store reaching each deployment through its overlay, a whole code flow, and Jersey (not RESTEasy)
 * serving. A smoke test: the Tomcat suite covers the behaviour in depth.
 */
class WildFlySmokeIT {
    static WildFlyServer server;

    @BeforeAll
    static void start() {
        server = WildFlyServer.get();
    }

    @AfterAll
    static void stop() {
        WildFlyServer.stop(); // frees its memory and ports for the rest of the suite
    }

    @Test
    void thePublicPortServesThePublicDeploymentWithoutAClientCertificate() throws Exception {
        HttpResponse<String> r = get(server.sslContextWithoutClientCert(), "TLSv1.3", server.publicBase().resolve("/health"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("public", RelyingParty.json(r.body()).get("role"));
        assertNull(r.sslSession().orElseThrow().getLocalCertificates(), "no client certificate was sent");
        assertEquals(Optional.of("idsvc"), r.headers().firstValue("server"), "the Server header names no product or version");
        assertTrue(r.headers().firstValue("x-powered-by").isEmpty());
    }

    @Test
    void thePublicPortAsksForNoClientCertificate() throws Exception {
        HttpResponse<String> r = get(server.sslContext("demo-client"), "TLSv1.3", server.publicBase().resolve("/health"));
        assertNull(r.sslSession().orElseThrow().getLocalCertificates(), "the public listener must not request a client certificate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void theMtlsPortRefusesAClientWithoutCertificate(String protocol) {
        // TLS 1.2: the handshake fails; TLS 1.3: the server's certificate_required alert arrives at the first read
        IOException e = assertThrows(IOException.class,
                () -> get(server.sslContextWithoutClientCert(), protocol, server.mtlsBase().resolve("/health")));
        System.out.println("WildFly, no certificate, " + protocol + ": " + e);
    }

    @Test
    void theMtlsPortServesTheMtlsDeploymentAndDiscovery() throws Exception {
        HttpResponse<String> health = get(server.sslContext("demo-client"), "TLSv1.3", server.mtlsBase().resolve("/health"));
        assertEquals("mtls", RelyingParty.json(health.body()).get("role"));

        Map<String, Object> d = demoClient().discovery();
        assertEquals(server.issuer(), d.get("issuer"));
        assertEquals(server.publicBase().resolve("/authorize").toString(), d.get("authorization_endpoint"));
        assertEquals(server.issuer() + "/token", d.get("token_endpoint"));
        assertEquals(Boolean.TRUE, d.get("tls_client_certificate_bound_access_tokens"));
    }

    @Test
    void aCodeFlowEndsWithTokensAndUserinfo() throws Exception {
        RelyingParty rp = demoClient();
        Authorization auth = rp.authorization("openid profile");
        Browser browser = new Browser(server.sslContextWithoutClientCert());
        String publicOrigin = "https://localhost:" + WildFlyServer.PUBLIC_PORT;

        HttpResponse<String> identify = browser.follow(browser.get(auth.url()), publicOrigin);
        assertEquals(200, identify.statusCode(), identify.body());
        Map<String, String> hidden = Browser.hiddenFields(identify.body());
        hidden.put("person", Browser.firstOption(identify.body()));
        hidden.put("action", "identify");
        HttpResponse<String> consent = browser.follow(browser.post(server.publicBase().resolve("/identify"), hidden), publicOrigin);
        assertEquals(200, consent.statusCode(), consent.body());
        Map<String, String> form = Browser.hiddenFields(consent.body());
        form.put("decision", "approve");
        HttpResponse<String> redirect = browser.post(server.publicBase().resolve("/consent"), form);
        assertEquals(303, redirect.statusCode(), redirect.body());
        Map<String, String> callback = Browser.query(redirect);
        assertEquals(auth.state(), callback.get("state"));
        assertEquals(server.issuer(), callback.get("iss"));

        // the code, issued by the public deployment, is redeemed at the mtls one: one shared store
        HttpResponse<String> token = rp.token(callback.get("code"), auth.verifier());
        assertEquals(200, token.statusCode(), token.body());
        Map<String, Object> t = RelyingParty.json(token.body());
        JwtClaims id = rp.verifyIdToken((String) t.get("id_token"), auth.nonce());
        assertEquals(server.issuer(), id.getIssuer());

        HttpResponse<String> ui = rp.userinfo((String) t.get("access_token"));
        assertEquals(200, ui.statusCode(), ui.body());
        Map<String, Object> u = RelyingParty.json(ui.body());
        assertEquals(id.getSubject(), u.get("sub"));
        assertTrue(u.containsKey("family_name"), ui.body());
    }

    /**
     * Decisive for Jersey: an OPTIONS request for a resource without an OPTIONS method, asking for
     * text/plain, is answered by Jersey's automatic OPTIONS support with 200 and the allowed methods
     * as a text/plain body ("HEAD, GET, OPTIONS"). RESTEasy answers it with 200, an Allow header
     * and no body. And RESTEasy, had it taken the deployment, would have logged its RESTEASY0...
     * deployment messages.
     */
    @Test
    void jerseyNotResteasyServes() throws Exception {
        HttpClient client = http(server.sslContextWithoutClientCert(), "TLSv1.3");
        HttpRequest options = HttpRequest.newBuilder(server.publicBase().resolve("/health")).timeout(Duration.ofSeconds(20))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Accept", "text/plain").build();
        HttpResponse<String> r = client.send(options, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Optional.of("text/plain"), r.headers().firstValue("content-type"));
        assertEquals(Set.of("HEAD", "GET", "OPTIONS"), Arrays.stream(r.body().split(",")).map(String::strip).collect(Collectors.toSet()),
                "Jersey's text/plain OPTIONS body: " + r.body());
        assertFalse(server.log().contains("RESTEASY0"), "RESTEasy must not process the deployments");
    }

    @Test
    void thePublicPortAnswersClientApiCallsWithTheMtlsUrl() throws Exception {
        HttpClient client = http(server.sslContextWithoutClientCert(), "TLSv1.3");
        HttpRequest post = HttpRequest.newBuilder(server.publicBase().resolve("/token")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=x")).build();
        HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        Map<String, Object> error = RelyingParty.json(r.body());
        assertEquals("invalid_request", error.get("error"));
        assertTrue(((String) error.get("error_description")).contains(server.issuer() + "/token"), r.body());
    }

    /**
     * DESIGN §3: trust changes reach the TLS layer without a restart. On WildFly the mtls deployment
     * reloads the Elytron key-store and re-initialises the trust manager of the mtls SSL context
     * (ConnectorTrustReloader); the Tomcat suite gives the same 5 s.
     */
    @Test
    void aClientCaAddedAndRemovedReachesTheTlsLayerWithoutARestart() throws Exception {
        Issued ca = CertificateIssuer.certificateAuthority("CN=WildFly Reload CA,O=Identification Service Test,C=BE");
        Issued probe = CertificateIssuer.client(ca, "CN=wildfly-probe,O=Identification Service Test,C=BE");
        Path dir = Files.createTempDirectory("wildfly-reload");
        Path caPem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Path certPem = Files.writeString(dir.resolve("probe.pem"), probe.chainPem());
        Path keyPem = Files.writeString(dir.resolve("probe-key.pem"), probe.privateKeyPem());
        // a fresh SSL context per attempt: a cached TLS session would be resumed without a new certificate check
        Supplier<SSLContext> ssl = () -> TlsContexts.of(server.demoDir().resolve("ca.pem"), certPem, keyPem);
        assertFalse(handshakes(ssl.get()), "a certificate of an untrusted CA passed the TLS layer");

        idsvc("ca", "add", caPem.toString(), "--name", "wildfly-reload");
        try {
            within("the new CA's client is let in", () -> handshakes(ssl.get()));
        } finally {
            idsvc("ca", "remove", "wildfly-reload");
        }
        within("the removed CA's client is shut out", () -> !handshakes(ssl.get()));
        assertTrue(server.log().contains("mtls connector reloaded its client trust"), "the deployment did the reload");
    }

    private static void idsvc(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--home";
        all[1] = server.home().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = IdsvcCli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    }

    private boolean handshakes(SSLContext ssl) {
        try {
            return get(ssl, "TLSv1.3", server.mtlsBase().resolve("/health")).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void within(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(200);
        }
        if (!condition.getAsBoolean()) fail("not within 5000 ms: " + what);
    }

    private RelyingParty demoClient() {
        return new RelyingParty("demo-client", "http://127.0.0.1:8765/callback", server.mtlsBase(), server.sslContext("demo-client"));
    }

    private static HttpClient http(SSLContext ssl, String protocol) {
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setProtocols(new String[] {protocol});
        return HttpClient.newBuilder().sslContext(ssl).sslParameters(params).connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static HttpResponse<String> get(SSLContext ssl, String protocol, URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build();
        return http(ssl, protocol).send(request, HttpResponse.BodyHandlers.ofString());
    }
}
