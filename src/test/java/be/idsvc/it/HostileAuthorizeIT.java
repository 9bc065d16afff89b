package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/**
 * Authorization requests as an attacker or a careless client sends them. Until client and redirect
 * URI are trusted the answer is a page, never a redirect; after that, the exact error goes back to
 * the client with its state. No refused request starts a flow. Odd but valid values start one, and
 * come back to the client byte for byte.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileAuthorizeIT {
    final ServerUnderTest s = ServerUnderTest.get();
    private static final String REDIRECT = "http://127.0.0.1:8765/callback";

    RelyingParty demo;
    Hostile.StoreWatch store;
    int logMark;

    @BeforeAll
    void watch() {
        demo = Flows.demoClient(s);
        demo.discovery();
        logMark = Hostile.logMark(s);
        store = new Hostile.StoreWatch(s);
    }

    /** A change to demo-client's otherwise valid request: parameters replaced (null: removed), then raw text appended. */
    record Change(String name, Map<String, String> params, String append) {
        @Override public String toString() { return name; }
    }

    private static Change set(String name, String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return new Change(name, m, "");
    }

    private static Change append(String name, String raw) {
        return new Change(name, Map.of(), raw);
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private Authorization request(Change c) {
        return demo.authorization(c.params().getOrDefault("scope", "openid"), c.params());
    }

    /** The state the request carries: the change's, else the one the client made up. */
    private static String state(Authorization a, Change c) {
        return c.params().containsKey("state") ? c.params().get("state") : a.state();
    }

    private HttpResponse<String> get(Browser b, Authorization a, Change c) {
        return Hostile.watched(b.get(URI.create(a.url() + c.append())));
    }

    // ---- shown, never redirected ---------------------------------------------------------------------

    static List<Change> shown() {
        List<Change> out = new ArrayList<>();
        out.add(set("client_id missing", "client_id", null));
        out.add(set("client_id empty", "client_id", ""));
        out.add(set("client_id unknown", "client_id", "nobody"));
        out.add(set("client_id of 2049 chars", "client_id", "c".repeat(2049)));
        out.add(set("client_id with a NUL", "client_id", "demo-client\0"));
        out.add(append("client_id repeated", "&client_id=demo-client"));
        out.add(set("redirect_uri missing", "redirect_uri", null));
        for (String r : List.of(REDIRECT + "/", "https://127.0.0.1:8765/callback", "http://127.0.0.1:8766/callback",
                "http://localhost:8765/callback", "http://evil.example/callback", "javascript:alert(1)", "data:text/html,<b>x</b>",
                REDIRECT + "#fragment", REDIRECT + "?x=1", "//evil.example/callback", "http://127.0.0.1:8765@evil.example/callback",
                "http://evil.example\\@127.0.0.1:8765/callback", REDIRECT.toUpperCase(), REDIRECT + "%00", " " + REDIRECT)) {
            out.add(set("redirect_uri " + r, "redirect_uri", r));
        }
        out.add(append("redirect_uri repeated", "&redirect_uri=" + enc(REDIRECT)));
        out.add(append("redirect_uri repeated with another", "&redirect_uri=" + enc("http://evil.example/cb")));
        return out;
    }

    @Order(1)
    @ParameterizedTest(name = "shown: {0}")
    @MethodSource("shown")
    void untrustedClientOrRedirectIsShownNeverRedirected(Change c) {
        HttpResponse<String> r = get(Flows.browser(s), request(c), c);
        Hostile.assertErrorPage(r, 400);
        assertTrue(r.body().contains("id=\"error\""), r.body());
        assertFalse(r.body().contains("evil.example"), "the page echoes the untrusted URI");
        assertFalse(r.body().contains("<b>x</b>") || r.body().contains("javascript:"), "the page echoes markup");
        assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), "no browser binding for a refused request");
    }

    // ---- returned to the client ------------------------------------------------------------------------

    /** The change, the error the client receives, and whether its state comes back. */
    record Returned(Change change, String error, boolean stateEchoed) {
        @Override public String toString() { return change.name() + " -> " + error; }
    }

    static List<Returned> returned() {
        List<Returned> out = new ArrayList<>();
        for (String rt : List.of("token", "id_token", "code id_token", "code token", "CODE", "none", "code%20")) {
            out.add(new Returned(set("response_type " + rt, "response_type", rt.replace("%20", " ")), "unsupported_response_type", true));
        }
        out.add(new Returned(set("response_type missing", "response_type", null), "invalid_request", true));
        for (String rm : List.of("fragment", "form_post", "jwt", "query.jwt")) {
            out.add(new Returned(set("response_mode " + rm, "response_mode", rm), "invalid_request", true));
        }
        for (String sc : List.of("profile", "openid national_number", "openid admin", "OPENID", "openid%00")) {
            out.add(new Returned(set("scope " + sc, "scope", sc.replace("%00", "\0")), "invalid_scope", true));
        }
        out.add(new Returned(set("scope missing", "scope", null), "invalid_scope", true));
        out.add(new Returned(set("code_challenge missing", "code_challenge", null), "invalid_request", true));
        out.add(new Returned(set("code_challenge_method missing", "code_challenge_method", null), "invalid_request", true));
        for (String m : List.of("plain", "s256", "S512", "S256 ")) {
            out.add(new Returned(set("code_challenge_method " + m, "code_challenge_method", m), "invalid_request", true));
        }
        out.add(new Returned(set("plain PKCE", "code_challenge_method", "plain", "code_challenge", "x".repeat(43)), "invalid_request", true));
        for (String ch : List.of("x".repeat(42), "x".repeat(44), "x".repeat(42) + "=", "+".repeat(43), "x".repeat(128))) {
            out.add(new Returned(set("code_challenge " + ch.length() + " chars " + ch.charAt(ch.length() - 1), "code_challenge", ch), "invalid_request", true));
        }
        out.add(new Returned(set("prompt=none", "prompt", "none"), "login_required", true));
        out.add(new Returned(set("prompt none with login", "prompt", "none login"), "invalid_request", true));
        out.add(new Returned(set("prompt unknown", "prompt", "bogus"), "invalid_request", true));
        for (String ma : List.of("-1", "abc", "9999999999", "1.5")) {
            out.add(new Returned(set("max_age " + ma, "max_age", ma), "invalid_request", true));
        }
        out.add(new Returned(set("request object", "request", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9."), "request_not_supported", true));
        out.add(new Returned(set("signed-looking request object", "request", "a.b.c"), "request_not_supported", true));
        out.add(new Returned(set("request_uri", "request_uri", "urn:ietf:params:oauth:request_uri:abc"), "request_uri_not_supported", true));
        out.add(new Returned(set("request_uri to a web page", "request_uri", "https://evil.example/req"), "request_uri_not_supported", true));
        for (String p : List.of("scope", "response_type", "nonce", "code_challenge", "code_challenge_method")) {
            out.add(new Returned(append(p + " repeated", "&" + p + "=openid"), "invalid_request", true));
        }
        for (String p : List.of("prompt=login", "ui_locales=de", "max_age=60", "response_mode=query", "claims=x")) {
            out.add(new Returned(append(p + " twice", "&" + p + "&" + p), "invalid_request", true));
        }
        out.add(new Returned(append("state repeated", "&state=other"), "invalid_request", false));
        out.add(new Returned(set("state of 2049 chars", "state", "s".repeat(2049)), "invalid_request", false));
        out.add(new Returned(set("state of 1025 chars", "state", "s".repeat(1025)), "invalid_request", false));
        out.add(new Returned(set("nonce of 513 chars", "nonce", "n".repeat(513)), "invalid_request", true));
        out.add(new Returned(set("nonce of 2049 chars", "nonce", "n".repeat(2049)), "invalid_request", true));
        out.add(new Returned(set("ui_locales of 2049 chars", "ui_locales", "a".repeat(2049)), "invalid_request", true));
        return out;
    }

    @Order(1)
    @ParameterizedTest(name = "returned: {0}")
    @MethodSource("returned")
    void errorsAfterTheRedirectIsTrustedGoBackToTheClient(Returned k) {
        Authorization a = request(k.change());
        HttpResponse<String> r = get(Flows.browser(s), a, k.change());
        assertEquals(303, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(REDIRECT + "?"), r.headers().firstValue("Location").orElseThrow());
        Map<String, String> q = Browser.query(r);
        assertEquals(k.error(), q.get("error"), q.toString());
        assertEquals(k.stateEchoed() ? state(a, k.change()) : null, q.get("state"));
        assertEquals(s.issuer(), q.get("iss"));
        assertTrue(q.getOrDefault("error_description", "").matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*"), q.get("error_description"));
        assertFalse(q.containsKey("code"));
        assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), "no browser binding for a refused request");
    }

    // ---- POST /authorize shapes --------------------------------------------------------------------------

    /** Content-Type (null: none), body, status. */
    static List<Object[]> posts() {
        String valid = "response_type=code&client_id=demo-client&redirect_uri=" + enc(REDIRECT) + "&scope=openid";
        return List.of(
                new Object[] {"bare ui_locales", "application/x-www-form-urlencoded", "ui_locales=de", 400},
                new Object[] {"ui_locales without a value", "application/x-www-form-urlencoded", "ui_locales", 400},
                new Object[] {"bare repeated ui_locales", "application/x-www-form-urlencoded", "ui_locales=de&ui_locales=fr", 400},
                new Object[] {"no Content-Type", null, valid, 415},
                new Object[] {"JSON", "application/json", "{\"client_id\":\"demo-client\"}", 415},
                new Object[] {"text/plain", "text/plain", valid, 415},
                new Object[] {"charset foo", "application/x-www-form-urlencoded; charset=foo", valid, 415},
                new Object[] {"client_id repeated", "application/x-www-form-urlencoded", valid + "&client_id=demo-client", 400},
                new Object[] {"empty", "application/x-www-form-urlencoded", "", 400},
                new Object[] {"broken escapes", "application/x-www-form-urlencoded", "%%%=%zz", 400});
    }

    @Order(1)
    @ParameterizedTest(name = "POST /authorize: {0}")
    @MethodSource("posts")
    void malformedPostsAreRefused(String name, String contentType, String body, int status) {
        HttpClient http = Hostile.client(s.sslContextWithoutClientCert());
        URI uri = s.publicBase().resolve("/authorize");
        HttpResponse<String> r = contentType == null
                ? Hostile.send(http, "POST", uri, HttpRequest.BodyPublishers.ofString(body), "Accept", "text/html")
                : Hostile.send(http, "POST", uri, HttpRequest.BodyPublishers.ofString(body), "Accept", "text/html", "Content-Type", contentType);
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty());
    }

    @Order(1)
    @Test
    void authorizeRefusesChunkedAndOtherMethods() {
        HttpClient http = Hostile.client(s.sslContextWithoutClientCert());
        URI uri = s.publicBase().resolve("/authorize");
        Hostile.assertOAuthError(Hostile.send(http, "POST", uri, Hostile.chunked("client_id=demo-client"), "Content-Type",
                "application/x-www-form-urlencoded"), 411, "invalid_request");
        for (String m : List.of("PUT", "DELETE", "PATCH")) {
            Hostile.assertOAuthError(Hostile.send(http, m, uri, HttpRequest.BodyPublishers.noBody()), 405, "invalid_request");
        }
    }

    @Order(2)
    @Test
    void noRefusedRequestStartedAFlow() {
        store.assertUnchanged();
    }

    // ---- odd but valid: accepted, and returned exactly ---------------------------------------------------

    static List<Change> oddButValid() {
        return List.of(
                set("state with non-ASCII", "state", "é€😀"),
                set("state with markup", "state", "<script>alert(1)</script>\"'"),
                set("state with URL syntax", "state", "a&b=c#d?e=%20"),
                set("state of 1024 chars", "state", "s".repeat(1024)),
                set("nonce of 512 chars", "nonce", "n".repeat(512)),
                set("nonce with markup", "nonce", "<img src=x onerror=alert(1)>"),
                set("ui_locales malformed", "ui_locales", "xx-INVALID!! ../../etc"),
                set("ui_locales unknown", "ui_locales", "tlh zz"),
                set("ui_locales non-ASCII", "ui_locales", "🙂 日本"),
                set("ui_locales of 2048 chars", "ui_locales", "de ".repeat(682) + "nl"),
                set("prompt login consent", "prompt", "login consent"),
                set("max_age 0", "max_age", "0"),
                set("unknown parameter", "claims", "{\"userinfo\":{\"national_number\":null}}"));
    }

    @Order(3)
    @ParameterizedTest(name = "accepted: {0}")
    @MethodSource("oddButValid")
    void oddButValidValuesRoundTrip(Change c) {
        Browser b = Flows.browser(s);
        Authorization a = request(c);
        HttpResponse<String> page = b.follow(get(b, a, c), Flows.publicOrigin(s));
        assertEquals(200, Hostile.watched(page).statusCode(), page.body());
        assertFalse(page.body().contains("<script>alert") || page.body().contains("<img src=x"), "markup echoed");
        Map<String, String> form = Browser.hiddenFields(page.body());
        form.put("action", "cancel");
        HttpResponse<String> back = Hostile.watched(b.post(s.publicBase().resolve("/identify"), form));
        assertEquals(303, back.statusCode(), back.body());
        Map<String, String> q = Browser.query(back);
        assertEquals("access_denied", q.get("error"));
        assertEquals(state(a, c), q.get("state"), "the state comes back byte for byte");
    }

    @AfterAll
    void quiet() {
        Hostile.assertQuietSince(s, logMark);
    }
}
