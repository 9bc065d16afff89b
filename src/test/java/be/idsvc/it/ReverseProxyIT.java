package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.testclient.RelyingParty;

/**
 * The mtls deployment behind a real nginx (server-config/nginx/idsvc-mtls.conf): the forwarded
 * certificate is believed only from the proxy's address, a forged header through nginx is
 * overwritten, and a forged header sent to the server directly is refused. On Tomcat nginx forwards
 * to the mtls Service's loopback connector, on WildFly to the mtls Undertow server's loopback
 * http-listener ({@code mtls-proxy} in configure.cli).
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class ReverseProxyIT {
    static final ServerUnderTest s = ServerUnderTest.get();
    static Process nginx;
    static int nginxPort;

    @BeforeAll
    static void startNginx() throws Exception {
        Path binary = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(binary)) fail("nginx is not installed: apt-get install -y nginx (.ci/run does)");
        nginxPort = s.kind().nginxPort();
        Path prefix = s.kind().workDir(Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath()).resolve("nginx");
        Files.createDirectories(prefix);
        String site = Files.readString(Path.of(System.getProperty("idsvc.project.dir", ".")).resolve("server-config/nginx/idsvc-mtls.conf"))
                .replace("/srv/idsvc/home", s.home().toString())
                .replace("127.0.0.1:9444", "127.0.0.1:" + nginxPort)
                .replace("127.0.0.1:9480", "127.0.0.1:" + s.mtlsProxyPort())
                .replace("proxy_bind 127.0.0.2", "proxy_bind " + ServerUnderTest.PROXY_ADDRESS);
        Files.writeString(prefix.resolve("idsvc-mtls.conf"), site);
        Files.writeString(prefix.resolve("nginx.conf"), String.join("\n",
                "user root;", "worker_processes 1;", "pid " + prefix.resolve("nginx.pid") + ";",
                "error_log " + prefix.resolve("error.log") + " info;", "events { worker_connections 64; }",
                "http {", "  access_log off;",
                "  client_body_temp_path " + prefix.resolve("body") + ";", "  proxy_temp_path " + prefix.resolve("proxy") + ";",
                "  fastcgi_temp_path " + prefix.resolve("fastcgi") + ";", "  uwsgi_temp_path " + prefix.resolve("uwsgi") + ";",
                "  scgi_temp_path " + prefix.resolve("scgi") + ";",
                "  include " + prefix.resolve("idsvc-mtls.conf") + ";", "}", ""));
        nginx = new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
                "-e", prefix.resolve("error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket probe = new Socket("127.0.0.1", nginxPort)) {
                return;
            } catch (IOException e) {
                if (!nginx.isAlive()) fail("nginx exited: " + Files.readString(prefix.resolve("error.log")));
                Thread.sleep(100);
            }
        }
        fail("nginx did not listen on " + nginxPort);
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly();
        }
    }

    private static URI viaNginx(String path) {
        return URI.create("https://localhost:" + nginxPort + path);
    }

    private static Map<String, String> tokenForm(RelyingParty rp, Flows.CodeAndAuth c, String clientId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", c.code());
        form.put("redirect_uri", rp.redirectUri());
        form.put("code_verifier", c.auth().verifier());
        form.put("client_id", clientId);
        return form;
    }

    private static HttpResponse<String> post(RelyingParty rp, URI uri, Map<String, String> form, String clientCertHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(RelyingParty.form(form)));
        if (clientCertHeader != null) b.header("Client-Cert", clientCertHeader);
        return rp.send(b.build());
    }

    private static String escapedPem(String who) {
        return URLEncoder.encode(s.client(who).certificatePem(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void assertError(HttpResponse<String> r, int status, String error, String description) {
        assertEquals(status, r.statusCode(), r.body());
        Map<String, Object> body = RelyingParty.json(r.body());
        assertEquals(error, body.get("error"));
        if (description != null) assertEquals(description, body.get("error_description"));
    }

    @Test
    void bothClientKindsCompleteTheFlowThroughNginx() {
        for (RelyingParty rp : new RelyingParty[] {Flows.demoClient(s), Flows.otherClient(s)}) {
            Flows.CodeAndAuth c = Flows.code(s, rp, "openid profile");
            HttpResponse<String> token = post(rp, viaNginx("/token"), tokenForm(rp, c, rp.clientId()), null);
            assertEquals(200, token.statusCode(), token.body());
            String at = (String) RelyingParty.json(token.body()).get("access_token");
            HttpResponse<String> userinfo = rp.get(viaNginx("/userinfo"), Map.of("Authorization", "Bearer " + at));
            assertEquals(200, userinfo.statusCode(), userinfo.body());
            assertEquals(rp.verifyIdToken((String) RelyingParty.json(token.body()).get("id_token"), c.auth().nonce()).getClaimsMap().get("sub"),
                    RelyingParty.json(userinfo.body()).get("sub"));
        }
    }

    @Test
    void aForgedHeaderThroughNginxIsOverwrittenByTheVerifiedCertificate() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        // demo-client's TLS certificate, other-client's certificate in the header: nginx replaces the header.
        assertError(post(demo, viaNginx("/token"), tokenForm(demo, c, "other-client"), escapedPem(ServerUnderTest.OTHER_CLIENT)),
                401, "invalid_client", null);
        HttpResponse<String> ok = post(demo, viaNginx("/token"), tokenForm(demo, c, "demo-client"), escapedPem(ServerUnderTest.OTHER_CLIENT));
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    void aForgedHeaderSentToTheServerDirectlyIsRefused() throws Exception {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        String refused = "a Client-Cert header is accepted only from a configured proxy";
        // Over the mtls connector, even with a valid TLS client certificate.
        assertError(post(demo, s.mtlsBase().resolve("/token"), tokenForm(demo, c, "demo-client"), escapedPem(ServerUnderTest.DEMO_CLIENT)),
                401, "invalid_client", refused);
        // Over the proxy connector, from an address that is not the proxy's.
        RawResponse direct = raw("127.0.0.1", "POST", "/token", RelyingParty.form(tokenForm(demo, c, "demo-client")),
                ":" + Base64.getEncoder().encodeToString(s.client(ServerUnderTest.DEMO_CLIENT).certificate().getEncoded()) + ":");
        assertEquals(401, direct.status());
        assertEquals(refused, RelyingParty.json(direct.body()).get("error_description"));
        RawResponse noCert = raw("127.0.0.1", "GET", "/jwks", null, null);
        assertEquals(401, noCert.status());
        assertEquals("invalid_client", RelyingParty.json(noCert.body()).get("error"));
        // None of this consumed the code.
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode());
    }

    @Test
    void theProxysAddressIsBelievedInBothHeaderForms() throws Exception {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        String rfc9440 = ":" + Base64.getEncoder().encodeToString(s.client(ServerUnderTest.DEMO_CLIENT).certificate().getEncoded()) + ":";
        RawResponse token = raw(ServerUnderTest.PROXY_ADDRESS, "POST", "/token", RelyingParty.form(tokenForm(demo, c, "demo-client")), rfc9440);
        assertEquals(200, token.status(), token.body());
        String at = (String) RelyingParty.json(token.body()).get("access_token");
        RawResponse userinfo = raw(ServerUnderTest.PROXY_ADDRESS, "GET", "/userinfo", null, escapedPem(ServerUnderTest.DEMO_CLIENT), "Bearer " + at);
        assertEquals(200, userinfo.status(), userinfo.body());
        RawResponse stolen = raw(ServerUnderTest.PROXY_ADDRESS, "GET", "/userinfo", null, escapedPem(ServerUnderTest.OTHER_CLIENT), "Bearer " + at);
        assertEquals(401, stolen.status(), "the token is bound to demo-client's certificate");
        RawResponse malformed = raw(ServerUnderTest.PROXY_ADDRESS, "GET", "/jwks", null, ":bm90IGEgY2VydGlmaWNhdGU=:");
        assertEquals(400, malformed.status(), malformed.body());
        assertEquals("invalid_request", RelyingParty.json(malformed.body()).get("error"));
    }

    @Test
    void nginxRefusesAClientWithoutACertificate() {
        HttpResponse<String> r = new RelyingParty("x", "http://127.0.0.1/cb", s.mtlsBase(), s.sslContextWithoutClientCert())
                .get(viaNginx("/jwks"), Map.of());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("No required SSL certificate was sent"), r.body());
    }

    record RawResponse(int status, String body) {}

    private static RawResponse raw(String from, String method, String path, String form, String clientCert) throws IOException {
        return raw(from, method, path, form, clientCert, null);
    }

    /** Plain HTTP to the mtls deployment's loopback proxy port, from a chosen loopback address. */
    private static RawResponse raw(String from, String method, String path, String form, String clientCert, String authorization)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", s.mtlsProxyPort()), 5000);
            socket.setSoTimeout(10_000);
            byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
            if (clientCert != null) h.append("Client-Cert: ").append(clientCert).append("\r\n");
            if (authorization != null) h.append("Authorization: ").append(authorization).append("\r\n");
            if (form != null) h.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(body.length).append("\r\n");
            h.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            String payload = text.substring(split + 4);
            if (text.substring(0, split).toLowerCase().contains("transfer-encoding: chunked")) payload = dechunk(payload);
            return new RawResponse(status, payload);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) break;
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
