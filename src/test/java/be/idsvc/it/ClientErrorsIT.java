package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/**
 * Every wrong request gets its exact OAuth answer, never a 500, and changes no state: after each
 * refusal the rightful request still succeeds.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class ClientErrorsIT {
    final ServerUnderTest s = ServerUnderTest.get();

    private static void assertError(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, RelyingParty.json(r.body()).get("error"), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
    }

    private static Map<String, String> tokenForm(RelyingParty rp, Flows.CodeAndAuth c) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "authorization_code");
        p.put("code", c.code());
        p.put("redirect_uri", rp.redirectUri());
        p.put("code_verifier", c.auth().verifier());
        p.put("client_id", rp.clientId());
        return p;
    }

    private URI token() {
        return s.mtlsBase().resolve("/token");
    }

    @Test
    void unregisteredCertificateIsNotAClient() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        RelyingParty stranger = new RelyingParty("demo-client", demo.redirectUri(), s.mtlsBase(), s.sslContext(ServerUnderTest.UNREGISTERED));
        assertError(stranger.postForm(token(), tokenForm(demo, c)), 401, "invalid_client");
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode(), "the refused attempt consumed the code");
    }

    @Test
    void certificateOfOneClientCannotActForAnother() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        RelyingParty impostor = new RelyingParty("demo-client", demo.redirectUri(), s.mtlsBase(), s.sslContext(ServerUnderTest.OTHER_CLIENT));
        assertError(impostor.postForm(token(), tokenForm(demo, c)), 401, "invalid_client");
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode());
    }

    @Test
    void codeIssuedToAnotherClientIsRefused() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        RelyingParty other = Flows.otherClient(s);
        Map<String, String> form = tokenForm(demo, c);
        form.put("client_id", "other-client");
        form.put("redirect_uri", other.redirectUri());
        assertError(other.postForm(token(), form), 400, "invalid_grant");
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode());
    }

    @Test
    void unknownClientIdIsInvalidClient() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        Map<String, String> form = tokenForm(demo, c);
        form.put("client_id", "nobody");
        assertError(demo.postForm(token(), form), 401, "invalid_client");
        form.remove("client_id");
        assertError(demo.postForm(token(), form), 401, "invalid_client");
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode());
    }

    @Test
    void replayedCodeIsRefusedAndRevokesItsToken() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid profile");
        HttpResponse<String> first = demo.token(c.code(), c.auth().verifier());
        assertEquals(200, first.statusCode());
        String at = (String) RelyingParty.json(first.body()).get("access_token");
        assertEquals(200, demo.userinfo(at).statusCode());
        assertError(demo.token(c.code(), c.auth().verifier()), 400, "invalid_grant");
        assertError(demo.userinfo(at), 401, "invalid_token");
    }

    @Test
    void concurrentRedemptionsOfOneCodeHaveExactlyOneWinner() throws Exception {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return demo.token(c.code(), c.auth().verifier());
            }));
        }
        go.countDown();
        int ok = 0;
        int invalidGrant = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) ok++;
            else if (r.statusCode() == 400 && "invalid_grant".equals(RelyingParty.json(r.body()).get("error"))) invalidGrant++;
        }
        pool.shutdown();
        assertEquals(1, ok);
        assertEquals(n - 1, invalidGrant);
    }

    @Test
    void wrongRedirectUriAtTokenIsInvalidGrantAndConsumesNothing() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        Map<String, String> form = tokenForm(demo, c);
        form.put("redirect_uri", "http://127.0.0.1:8765/other");
        assertError(demo.postForm(token(), form), 400, "invalid_grant");
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode());
    }

    @Test
    void pkceMismatchAndMissingVerifierAreRefused() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        Map<String, String> form = tokenForm(demo, c);
        form.put("code_verifier", "x".repeat(43));
        assertError(demo.postForm(token(), form), 400, "invalid_grant");
        form.remove("code_verifier");
        assertError(demo.postForm(token(), form), 400, "invalid_request");
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode());
    }

    @Test
    void expiredCodeAndExpiredAccessTokenAreRefused() throws Exception {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        Map<String, Object> t = Flows.tokens(s, demo, "openid");
        Thread.sleep(61_000); // the IT home: codes live 60 s (DESIGN §5's maximum), access tokens as long
        assertError(demo.token(c.code(), c.auth().verifier()), 400, "invalid_grant");
        assertError(demo.userinfo((String) t.get("access_token")), 401, "invalid_token");
    }

    @Test
    void userinfoRefusesATokenPresentedWithAnotherCertificate() {
        RelyingParty demo = Flows.demoClient(s);
        String at = (String) Flows.tokens(s, demo, "openid profile").get("access_token");
        for (String who : List.of(ServerUnderTest.OTHER_CLIENT, ServerUnderTest.UNREGISTERED)) {
            RelyingParty thief = new RelyingParty("x", demo.redirectUri(), s.mtlsBase(), s.sslContext(who));
            HttpResponse<String> r = thief.get(s.mtlsBase().resolve("/userinfo"), Map.of("Authorization", "Bearer " + at));
            assertError(r, 401, "invalid_token");
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer error=\"invalid_token\""));
        }
        assertEquals(200, demo.userinfo(at).statusCode(), "the rightful holder still gets userinfo");
    }

    @Test
    void tamperedMissingAndMalformedAccessTokensAreRefused() {
        RelyingParty demo = Flows.demoClient(s);
        String at = (String) Flows.tokens(s, demo, "openid").get("access_token");
        char last = at.charAt(at.length() - 1);
        String tampered = at.substring(0, at.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertError(demo.userinfo(tampered), 401, "invalid_token");
        HttpResponse<String> none = demo.get(s.mtlsBase().resolve("/userinfo"), Map.of());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm="));
        assertError(demo.get(s.mtlsBase().resolve("/userinfo"), Map.of("Authorization", "Basic Zm9vOmJhcg==")), 400, "invalid_request");
        assertError(demo.get(s.mtlsBase().resolve("/userinfo"), Map.of("Authorization", "Bearer " + "a".repeat(5000))), 400, "invalid_request");
        HttpResponse<String> post = demo.send(HttpRequest.newBuilder(s.mtlsBase().resolve("/userinfo"))
                .header("Authorization", "Bearer " + at).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, post.statusCode(), "userinfo answers POST too");
    }

    @Test
    void tokenAndUserinfoOnThePublicHostNameTheMtlsHost() {
        Browser b = Flows.browser(s);
        for (String path : List.of("/token", "/userinfo", "/.well-known/openid-configuration")) {
            HttpResponse<String> get = b.get(s.publicBase().resolve(path));
            HttpResponse<String> post = b.post(s.publicBase().resolve(path), Map.of("grant_type", "authorization_code"));
            for (HttpResponse<String> r : List.of(get, post)) {
                assertError(r, 400, "invalid_request");
                assertEquals("client applications call this endpoint only over mutual TLS at " + s.issuer() + path,
                        RelyingParty.json(r.body()).get("error_description"));
            }
        }
    }

    @Test
    void malformedAndOversizedTokenRequestsAreInvalidRequests() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        Map<String, String> form = tokenForm(demo, c);
        form.put("code", "x".repeat(5000));
        assertError(demo.postForm(token(), form), 400, "invalid_request");
        HttpResponse<String> json = demo.send(HttpRequest.newBuilder(token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"authorization_code\"}")).build());
        assertError(json, 415, "invalid_request");
        assertError(demo.send(HttpRequest.newBuilder(token()).GET().build()), 405, "invalid_request");
        HttpResponse<String> dup = demo.send(HttpRequest.newBuilder(token()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(RelyingParty.form(tokenForm(demo, c)) + "&code=again")).build());
        assertError(dup, 400, "invalid_request");
        Map<String, String> wrongGrant = tokenForm(demo, c);
        wrongGrant.put("grant_type", "client_credentials");
        assertError(demo.postForm(token(), wrongGrant), 400, "unsupported_grant_type");
        HttpResponse<String> garbage = demo.send(HttpRequest.newBuilder(token()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("%%%=%zz&&==")).build());
        assertTrue(garbage.statusCode() == 400 || garbage.statusCode() == 401, garbage.statusCode() + " " + garbage.body());
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode(), "none of the above consumed the code");
    }

    @Test
    void bodiesTheServiceNeverNeedsAreRefusedBeforeTheyAreRead() {
        RelyingParty demo = Flows.demoClient(s);
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        HttpResponse<String> huge = demo.send(HttpRequest.newBuilder(token()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a".repeat(300_000))).build());
        assertError(huge, 413, "invalid_request");
        HttpResponse<String> chunked = demo.send(HttpRequest.newBuilder(token()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("grant_type=x".getBytes()))).build());
        assertError(chunked, 411, "invalid_request");
        HttpResponse<String> charset = demo.send(HttpRequest.newBuilder(token()).header("Content-Type", "application/x-www-form-urlencoded; charset=foo")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code")).build());
        assertError(charset, 415, "invalid_request");
        HttpResponse<String> pageTooBig = Flows.browser(s).post(s.publicBase().resolve("/consent"), Map.of("flow", "x".repeat(300_000)));
        assertEquals(413, pageTooBig.statusCode());
        // A parameter without "=" is absent, not a crash.
        String form = RelyingParty.form(tokenForm(demo, c)).replaceFirst("code=[^&]*", "code");
        HttpResponse<String> bare = demo.send(HttpRequest.newBuilder(token()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertError(bare, 400, "invalid_request");
        assertEquals("code is missing", RelyingParty.json(bare.body()).get("error_description"));
        HttpResponse<String> bareAuthorize = Flows.browser(s).post(s.publicBase().resolve("/authorize"), Map.of("client_id", ""));
        assertEquals(400, bareAuthorize.statusCode());
        assertEquals(200, demo.token(c.code(), c.auth().verifier()).statusCode(), "none of the above consumed the code");
    }

    @Test
    void unknownClientAndUnregisteredRedirectUriAreShownNeverRedirected() {
        RelyingParty demo = Flows.demoClient(s);
        Browser b = Flows.browser(s);
        for (Map<String, String> change : List.of(Map.of("client_id", "nobody"), Map.of("redirect_uri", "https://evil.example/cb"))) {
            Authorization auth = demo.authorization("openid", change);
            HttpResponse<String> r = b.get(auth.url());
            assertEquals(400, r.statusCode());
            assertTrue(r.headers().firstValue("Location").isEmpty(), "redirected to " + r.headers().firstValue("Location"));
            assertTrue(r.body().contains("id=\"error\""));
            assertFalse(r.body().contains("evil.example"), "the page echoes the untrusted URI");
        }
    }

    @Test
    void authorizeErrorsReturnToTheClientWithState() {
        RelyingParty demo = Flows.demoClient(s);
        Browser b = Flows.browser(s);
        Map<Map<String, String>, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("scope", "profile"), "invalid_scope");
        cases.put(Map.of("scope", "openid national_number"), "invalid_scope");
        cases.put(Map.of("prompt", "none"), "login_required");
        cases.put(Map.of("response_type", "token"), "unsupported_response_type");
        cases.put(Map.of("code_challenge_method", "plain"), "invalid_request");
        cases.put(Map.of("nonce", "n".repeat(3000)), "invalid_request");
        for (Map.Entry<Map<String, String>, String> e : cases.entrySet()) {
            Map<String, String> extra = new HashMap<>(e.getKey());
            Authorization auth = demo.authorization(extra.getOrDefault("scope", "openid"), extra);
            HttpResponse<String> r = b.get(auth.url());
            assertEquals(303, r.statusCode(), e.getKey() + ": " + r.body());
            Map<String, String> q = Browser.query(r);
            assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(demo.redirectUri() + "?"));
            assertEquals(e.getValue(), q.get("error"), e.getKey().toString());
            assertEquals(auth.state(), q.get("state"));
            assertEquals(s.issuer(), q.get("iss"));
        }
    }

    @Test
    void formsRefuseMissingCsrfTokenAndForeignBrowsers() {
        RelyingParty demo = Flows.demoClient(s);
        Browser person = Flows.browser(s);
        HttpResponse<String> page = person.follow(person.get(demo.authorization("openid").url()), Flows.publicOrigin(s));
        Map<String, String> form = Browser.hiddenFields(page.body());
        form.put("person", Browser.firstOption(page.body()));
        form.put("action", "identify");
        Map<String, String> noCsrf = new HashMap<>(form);
        noCsrf.remove("csrf");
        assertEquals(403, person.post(s.publicBase().resolve("/identify"), noCsrf).statusCode());
        // Another browser (an attacker holding the URL and even the form values) has no cookie.
        assertEquals(400, Flows.browser(s).post(s.publicBase().resolve("/identify"), form).statusCode());
        // The rightful browser still proceeds.
        assertEquals(303, person.post(s.publicBase().resolve("/identify"), form).statusCode());
    }

    @Test
    void consentIsDecidedOnce() {
        RelyingParty demo = Flows.demoClient(s);
        Browser person = Flows.browser(s);
        HttpResponse<String> page = person.follow(person.get(demo.authorization("openid").url()), Flows.publicOrigin(s));
        Map<String, String> form = Browser.hiddenFields(page.body());
        form.put("person", Browser.firstOption(page.body()));
        form.put("action", "identify");
        HttpResponse<String> consent = person.follow(person.post(s.publicBase().resolve("/identify"), form), Flows.publicOrigin(s));
        Map<String, String> decision = Browser.hiddenFields(consent.body());
        decision.put("decision", "approve");
        assertEquals(303, person.post(s.publicBase().resolve("/consent"), decision).statusCode());
        assertEquals(400, person.post(s.publicBase().resolve("/consent"), decision).statusCode());
    }

    @Test
    void nothingAnswers500() {
        Browser b = Flows.browser(s);
        RelyingParty demo = Flows.demoClient(s);
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(b.get(s.publicBase().resolve("/identify?flow=%00%ff")));
        answers.add(b.get(s.publicBase().resolve("/consent")));
        answers.add(b.post(s.publicBase().resolve("/consent"), Map.of("flow", "x".repeat(10000))));
        answers.add(b.get(s.publicBase().resolve("/authorize")));
        answers.add(b.get(s.publicBase().resolve("/no/such/page")));
        answers.add(demo.get(s.mtlsBase().resolve("/authorize"), Map.of()));
        answers.add(demo.get(s.mtlsBase().resolve("/no/such/api"), Map.of()));
        for (HttpResponse<String> r : answers) {
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
