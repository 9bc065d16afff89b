package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;

/**
 * Issue 13, defects 3, 6, 8, 9, 10 (first half) and 13, each against the real deployments: one case
 * per defect, each of which failed before its fix (docs/decisions.md, "Hardening: token binding,
 * error texts, code replay, signing keys").
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class HardeningIT {
    /** RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
    private static final String DESCRIPTION_CHARSET = "[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*";

    final ServerUnderTest s = ServerUnderTest.get();

    /** Defect 3: a token whose certificate was unpinned introspects inactive, asked with the client's other pin. */
    @Test
    void d3_introspectionAppliesTheUserinfoRulesToTheBoundCertificate() throws Exception {
        Issued a = CertificateIssuer.selfSignedClient("CN=h3-client-a,O=Identification Service Test,C=BE");
        Issued b = CertificateIssuer.selfSignedClient("CN=h3-client-b,O=Identification Service Test,C=BE");
        String redirect = "http://127.0.0.1:8773/callback";
        AdminCli.run(s, "client", "add", "h3-client", "--auth", "self_signed_tls_client_auth", "--redirect-uri", redirect,
                "--scopes", "openid", "--cert", AdminCli.file(a.certificatePem()));
        AdminCli.run(s, "pin", "add", "h3-client", AdminCli.file(b.certificatePem()));
        try {
            RelyingParty withA = new RelyingParty("h3-client", redirect, s.mtlsBase(), s.sslContext(a));
            RelyingParty withB = new RelyingParty("h3-client", redirect, s.mtlsBase(), s.sslContext(b));
            String at = within5Seconds(() -> (String) Flows.tokens(s, withA, "openid").get("access_token"));
            Map<String, String> form = Map.of("token", at, "client_id", "h3-client");
            Map<String, Object> active = within5Seconds(() -> {
                HttpResponse<String> r = withB.postForm(s.mtlsBase().resolve("/introspect"), form);
                assertEquals(200, r.statusCode(), r.body());
                return RelyingParty.json(r.body());
            });
            assertEquals(true, active.get("active"), "the token bound to a pinned certificate is active");
            assertEquals(Map.of("x5t#S256", CertificateThumbprint.x5tS256(a.certificate())), active.get("cnf"));

            AdminCli.run(s, "pin", "remove", "h3-client", CertificateThumbprint.x5tS256(a.certificate()));
            Map<String, Object> after = null;
            long end = System.currentTimeMillis() + 5000;
            do {
                HttpResponse<String> r = withB.postForm(s.mtlsBase().resolve("/introspect"), form);
                assertEquals(200, r.statusCode(), r.body());
                after = RelyingParty.json(r.body());
                if (Boolean.FALSE.equals(after.get("active"))) break;
                Thread.sleep(200);
            } while (System.currentTimeMillis() < end);
            assertEquals(Map.of("active", false), after, "a token bound to a removed pin still introspects active");
        } finally {
            AdminCli.run(s, "client", "remove", "h3-client");
        }
    }

    /** Defect 6: attacker text (scope values, parameter names) never comes back in error_description. */
    @Test
    void d6_errorDescriptionsAreFixedTexts() {
        RelyingParty demo = Flows.demoClient(s);
        Browser browser = Flows.browser(s);
        String evil = "evil\"\\<x>é";

        HttpResponse<String> scope = browser.get(demo.authorization("openid " + evil).url());
        assertEquals(303, scope.statusCode(), scope.body());
        Map<String, String> q = Browser.query(scope);
        assertEquals("invalid_scope", q.get("error"));
        assertEquals("the scope names an unknown value", q.get("error_description"));

        URI repeated = URI.create(demo.authorization("openid").url() + "&" + urlEncode(evil) + "=1&" + urlEncode(evil) + "=2");
        HttpResponse<String> rep = browser.get(repeated);
        assertEquals(303, rep.statusCode(), rep.body());
        q = Browser.query(rep);
        assertEquals("invalid_request", q.get("error"));
        assertEquals("a parameter is repeated", q.get("error_description"));

        Map<String, String> tokenForm = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "client_id", "demo-client"));
        HttpResponse<String> token = demo.send(HttpRequest.newBuilder(s.mtlsBase().resolve("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(RelyingParty.form(tokenForm) + "&" + urlEncode(evil) + "=1&" + urlEncode(evil) + "=2"))
                .build());
        assertEquals(400, token.statusCode(), token.body());
        Map<String, Object> body = RelyingParty.json(token.body());
        assertEquals("invalid_request", body.get("error"));
        assertEquals("a parameter is repeated", body.get("error_description"));

        for (String d : List.of(q.get("error_description"), (String) body.get("error_description"))) {
            assertTrue(d.matches(DESCRIPTION_CHARSET), d);
            assertFalse(d.contains("evil"), d);
        }
    }

    /** Defect 8: a code replayed after the purge that follows its expiry still revokes the token it bought. */
    @Test
    void d8_aReplayAfterThePurgeStillRevokesTheToken() throws Exception {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        // never redeemed: it expires with the first, so the purge after it has something to log either way
        Flows.code(s, demo, "openid");
        // The server's clock is moved, not waited for (ServerUnderTest.setClockAhead; docs/decisions.md,
        // "injected time"). The IT home: codes and tokens live 60 s. Redeemed 52 s late, the token
        // outlives the code by ~50 s.
        try {
            s.setClockAhead(Duration.ofSeconds(52));
            // the jump makes a purge due (every 30 s of the clock, asked every second): let it pass
            // before counting, so that the purge counted below is one that ran after the code's expiry
            Thread.sleep(2500);
            HttpResponse<String> redeemed = demo.token(c.code(), c.auth().verifier());
            assertEquals(200, redeemed.statusCode(), redeemed.body());
            String at = (String) RelyingParty.json(redeemed.body()).get("access_token");

            // Past the code's expiry (61 s) by one purge interval (30 s): wait for a purge that ran after it.
            int purgesBefore = count(s.log(), "purged ");
            s.setClockAhead(Duration.ofSeconds(61 + 30));
            long end = System.currentTimeMillis() + 35_000;
            while (count(s.log(), "purged ") == purgesBefore && System.currentTimeMillis() < end) Thread.sleep(500);
            assertTrue(count(s.log(), "purged ") > purgesBefore, "no purge ran within 35 s");
            assertEquals(200, demo.userinfo(at).statusCode(), "the token must still live for this test to mean anything");

            HttpResponse<String> replay = demo.token(c.code(), c.auth().verifier());
            assertEquals(400, replay.statusCode(), replay.body());
            assertEquals("invalid_grant", RelyingParty.json(replay.body()).get("error"));
            assertEquals("authorization code already used", RelyingParty.json(replay.body()).get("error_description"));
            HttpResponse<String> userinfo = demo.userinfo(at);
            assertEquals(401, userinfo.statusCode(), "the replay after the purge did not revoke the token: " + userinfo.body());
        } finally {
            s.setClockAhead(Duration.ZERO);
        }
    }

    /** Defect 9: no usable signing key: 503 + Retry-After, the code is not burnt, and it works once the key is back. */
    @Test
    void d9_aMissingSigningKeyLeavesTheCodeRedeemable() throws Exception {
        Issued cert = CertificateIssuer.selfSignedClient("CN=h9-client,O=Identification Service Test,C=BE");
        String redirect = "http://127.0.0.1:8779/callback";
        AdminCli.run(s, "client", "add", "h9-client", "--auth", "self_signed_tls_client_auth", "--redirect-uri", redirect,
                "--scopes", "openid", "--id-token-alg", "RS256", "--cert", AdminCli.file(cert.certificatePem()));
        Path signing = s.home().resolve("keys/signing");
        Path rsaKey = null;
        try (DirectoryStream<Path> keys = Files.newDirectoryStream(signing, "rs*.jwk")) {
            for (Path k : keys) rsaKey = k;
        }
        assertTrue(rsaKey != null, "the demo home has an RSA signing key");
        String kid = rsaKey.getFileName().toString().replace(".jwk", "");
        Path aside = s.home().resolve("keys/" + kid + ".aside");
        try {
            RelyingParty rp = new RelyingParty("h9-client", redirect, s.mtlsBase(), s.sslContext(cert));
            Flows.CodeAndAuth c = within5Seconds(() -> Flows.code(s, rp, "openid"));
            Files.move(rsaKey, aside);
            waitForJwks(rp, kid, false);

            HttpResponse<String> refused = rp.token(c.code(), c.auth().verifier());
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("temporarily_unavailable", RelyingParty.json(refused.body()).get("error"));
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After");

            Files.move(aside, rsaKey);
            waitForJwks(rp, kid, true);
            HttpResponse<String> ok = rp.token(c.code(), c.auth().verifier());
            assertEquals(200, ok.statusCode(), "the code was burnt by the refused request: " + ok.body());
            String idToken = (String) RelyingParty.json(ok.body()).get("id_token");
            assertEquals("RS256", JsonWebSignature.fromCompactSerialization(idToken).getAlgorithmHeaderValue());
            assertEquals(kid, JsonWebSignature.fromCompactSerialization(idToken).getKeyIdHeaderValue());
            rp.verifyIdToken(idToken, c.auth().nonce());
        } finally {
            if (Files.exists(aside)) Files.move(aside, rsaKey);
            AdminCli.run(s, "client", "remove", "h9-client");
        }
    }

    /** Defect 10 (first half): a bare ui_locales (no '=') without client_id is an error page, not a 500; so are its siblings. */
    @Test
    void d10_bareParametersAtAuthorizeAreErrorPages() {
        HttpClient http = HttpClient.newBuilder().sslContext(s.sslContextWithoutClientCert()).connectTimeout(Duration.ofSeconds(10)).build();
        for (String body : List.of("ui_locales", "ui_locales&client_id", "client_id&ui_locales&redirect_uri", "ui_locales=&ui_locales")) {
            HttpResponse<String> r = send(http, HttpRequest.newBuilder(s.publicBase().resolve("/authorize"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(400, r.statusCode(), body + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), body);
        }
        for (String query : List.of("ui_locales", "ui_locales&client_id")) {
            HttpResponse<String> r = send(http, HttpRequest.newBuilder(s.publicBase().resolve("/authorize?" + query)).GET().build());
            assertEquals(400, r.statusCode(), query + ": " + r.body());
        }
        // the siblings: every page of a flow, with each of its fields bare, is the "no such flow" page
        Map<String, String> pages = Map.of("/identify", "flow&csrf&action&person&lang", "/consent", "flow&csrf&decision&lang",
                "/readout", "flow&csrf&lang&identity&address&photo&challenge_signature&error");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            HttpResponse<String> post = send(http, HttpRequest.newBuilder(s.publicBase().resolve(page.getKey()))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(page.getValue())).build());
            assertEquals(400, post.statusCode(), page + ": " + post.body());
            HttpResponse<String> get = send(http, HttpRequest.newBuilder(s.publicBase().resolve(page.getKey() + "?flow&lang")).GET().build());
            assertEquals(400, get.statusCode(), page.getKey() + "?flow&lang: " + get.body());
        }
    }

    /** Defect 13: the Bearer scheme is case-insensitive (RFC 6750 §2.1, RFC 9110 §11.1). */
    @Test
    void d13_theBearerSchemeIsCaseInsensitive() {
        RelyingParty demo = Flows.demoClient(s);
        String at = (String) Flows.tokens(s, demo, "openid").get("access_token");
        for (String scheme : List.of("Bearer", "bearer", "BEARER", "bEaReR")) {
            HttpResponse<String> r = demo.get(s.mtlsBase().resolve("/userinfo"), Map.of("Authorization", scheme + " " + at));
            assertEquals(200, r.statusCode(), scheme + ": " + r.body());
        }
        HttpResponse<String> basic = demo.get(s.mtlsBase().resolve("/userinfo"), Map.of("Authorization", "Basic " + at));
        assertEquals(400, basic.statusCode());
        assertEquals("invalid_request", RelyingParty.json(basic.body()).get("error"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
        return n;
    }

    private void waitForJwks(RelyingParty rp, String kid, boolean present) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < end) {
            HttpResponse<String> jwks = rp.get(s.mtlsBase().resolve("/jwks"), Map.of());
            if (jwks.body().contains("\"" + kid + "\"") == present) {
                // the JWKS and the token endpoint share one view of the directory; a margin for its next check
                Thread.sleep(be.idsvc.config.WatchedDirectory.CHECK_INTERVAL_MILLIS);
                return;
            }
            Thread.sleep(200);
        }
        fail("the JWKS did not " + (present ? "regain " : "lose ") + kid + " within 5 s");
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <T> T within5Seconds(Supplier<T> attempt) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (true) {
            try {
                return attempt.get();
            } catch (AssertionError | RuntimeException e) {
                if (System.currentTimeMillis() > end) throw e;
                Thread.sleep(200);
            }
        }
    }
}
