package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import be.idsvc.core.Secrets;
import be.idsvc.testclient.RelyingParty;

/**
 * Every way to misuse the token endpoint that must be refused without touching the code: wrong
 * verifier, redirect URI or client, unsupported grants, repeated parameters, wrong content types,
 * methods, oversized and chunked bodies, parameters in the query string. All cases aim at one live
 * code; afterwards the store holds exactly the rows it held before and the code still redeems once.
 * (Replay and concurrent redemption, which must change state, are in {@link HostileTokenUseIT}.)
 */
@Tag(ServerUnderTest.EVERY_SERVER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileTokenIT {
    final ServerUnderTest s = ServerUnderTest.get();
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String REDIRECT = "http://127.0.0.1:8765/callback";

    RelyingParty demo;
    Flows.CodeAndAuth code;
    HttpClient demoTls;
    HttpClient otherTls;
    HttpClient strangerTls;
    Hostile.StoreWatch store;
    int logMark;

    /** One misuse: which certificate, method, content type and body (placeholders {code} {verifier}), and the answer. */
    record Case(String name, String cert, String method, String contentType, String body, String query, boolean chunked,
            int status, String error) {
        @Override public String toString() { return name; }
    }

    private static final String BASE = "grant_type=authorization_code&code={code}&redirect_uri=" + enc(REDIRECT)
            + "&code_verifier={verifier}&client_id=demo-client";

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static Case form(String name, String body, int status, String error) {
        return new Case(name, "demo", "POST", FORM, body, null, false, status, error);
    }

    /** The base request with one parameter's value replaced (null: left out). */
    private static String with(String param, String value) {
        StringBuilder b = new StringBuilder();
        for (String pair : BASE.split("&")) {
            String name = pair.substring(0, pair.indexOf('='));
            String v = name.equals(param) ? (value == null ? null : name + "=" + value) : pair;
            if (v == null) continue;
            if (b.length() > 0) b.append('&');
            b.append(v);
        }
        return b.toString();
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---- PKCE: wrong, malformed, missing verifier
        String other = Secrets.newHandle();
        c.add(form("verifier of another request", with("code_verifier", other), 400, "invalid_grant"));
        c.add(form("verifier all x", with("code_verifier", "x".repeat(43)), 400, "invalid_grant"));
        c.add(form("verifier one char longer", with("code_verifier", "{verifier}A"), 400, "invalid_grant"));
        c.add(form("verifier 128 chars", with("code_verifier", "a".repeat(128)), 400, "invalid_grant"));
        c.add(form("verifier 42 chars", with("code_verifier", "a".repeat(42)), 400, "invalid_grant"));
        c.add(form("verifier 129 chars", with("code_verifier", "a".repeat(129)), 400, "invalid_grant"));
        c.add(form("verifier with illegal chars", with("code_verifier", enc("+/=" + "a".repeat(43))), 400, "invalid_grant"));
        c.add(form("verifier equal to the challenge", with("code_verifier", "{challenge}"), 400, "invalid_grant"));
        c.add(form("verifier empty", with("code_verifier", ""), 400, "invalid_request"));
        c.add(form("verifier missing", with("code_verifier", null), 400, "invalid_request"));
        // ---- redirect_uri: anything but the exact registered string of the authorization request
        for (String r : List.of(REDIRECT + "/", "https://127.0.0.1:8765/callback", "http://127.0.0.1:8766/callback",
                "http://localhost:8765/callback", "http://127.0.0.1:8765/CALLBACK", "http://127.0.0.1:8765/callback?x=1",
                "http://127.0.0.1:8765/callback#f", "http://127.0.0.1:8765/%63allback", "http://127.0.0.1:8765/callback/../callback",
                "HTTP://127.0.0.1:8765/callback", "http://127.0.0.1:8765/callback ", "http://evil.example/callback")) {
            c.add(form("redirect_uri " + r, with("redirect_uri", enc(r)), 400, "invalid_grant"));
        }
        c.add(form("redirect_uri empty", with("redirect_uri", ""), 400, "invalid_request"));
        c.add(form("redirect_uri missing", with("redirect_uri", null), 400, "invalid_request"));
        // ---- the client: identity must be the certificate's, and the code's
        c.add(form("client_id of another client", with("client_id", "other-client"), 401, "invalid_client"));
        c.add(form("client_id unknown", with("client_id", "nobody"), 401, "invalid_client"));
        c.add(form("client_id in upper case", with("client_id", "DEMO-CLIENT"), 401, "invalid_client"));
        c.add(form("client_id with a trailing space", with("client_id", "demo-client%20"), 401, "invalid_client"));
        c.add(form("client_id with a NUL", with("client_id", "demo-client%00"), 401, "invalid_client"));
        c.add(form("client_id empty", with("client_id", ""), 401, "invalid_client"));
        c.add(form("client_id missing", with("client_id", null), 401, "invalid_client"));
        c.add(new Case("other-client's certificate claiming demo-client", "other", "POST", FORM, BASE, null, false, 401, "invalid_client"));
        c.add(new Case("other-client redeeming demo-client's code", "other", "POST", FORM,
                with("client_id", "other-client").replace(enc(REDIRECT), enc("http://127.0.0.1:8766/callback")), null, false, 400, "invalid_grant"));
        c.add(new Case("unregistered certificate", "stranger", "POST", FORM, BASE, null, false, 401, "invalid_client"));
        c.add(new Case("unregistered certificate naming itself", "stranger", "POST", FORM, with("client_id", "unregistered"), null, false,
                401, "invalid_client"));
        // ---- grant types
        for (String g : List.of("client_credentials", "password", "refresh_token", "implicit", "token", "AUTHORIZATION_CODE",
                "authorization_code%20", "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:device_code",
                "urn:ietf:params:oauth:grant-type:token-exchange", "urn:openid:params:grant-type:ciba")) {
            c.add(form("grant_type " + g, with("grant_type", g), 400, "unsupported_grant_type"));
        }
        c.add(form("grant_type empty", with("grant_type", ""), 400, "invalid_request"));
        c.add(form("grant_type missing", with("grant_type", null), 400, "invalid_request"));
        // ---- the code itself
        c.add(form("code unknown", with("code", Secrets.newHandle()), 400, "invalid_grant"));
        c.add(form("code one char longer", with("code", "{code}A"), 400, "invalid_grant"));
        c.add(form("code in upper case", with("code", "{CODE}"), 400, "invalid_grant"));
        c.add(form("code with percent-encoded garbage", with("code", "%00%ff%fe"), 400, "invalid_grant"));
        c.add(form("code 2048 chars", with("code", "c".repeat(2048)), 400, "invalid_grant"));
        c.add(form("code 2049 chars", with("code", "c".repeat(2049)), 400, "invalid_request"));
        c.add(form("code empty", with("code", ""), 400, "invalid_request"));
        c.add(form("code missing", with("code", null), 400, "invalid_request"));
        // ---- every parameter repeated, with the same and with another value; and an unknown one
        for (String p : List.of("grant_type", "code", "redirect_uri", "code_verifier", "client_id")) {
            String pair = BASE.substring(BASE.indexOf(p + "=")).split("&")[0];
            c.add(form(p + " repeated", BASE + "&" + pair, 400, "invalid_request"));
            c.add(form(p + " repeated, first empty", p + "=&" + BASE, 400, "invalid_request"));
        }
        c.add(form("unknown parameter repeated", BASE + "&x=1&x=2", 400, "invalid_request"));
        c.add(form("client_secret beside the certificate", BASE.replace("{verifier}", "x".repeat(43)) + "&client_secret=s3cret", 400, "invalid_grant"));
        // ---- content types: only a form is read
        for (String ct : List.of("application/json", "text/plain", "application/xml", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencodedx", "text/html")) {
            c.add(new Case("Content-Type " + ct, "demo", "POST", ct, BASE, null, false, 415, "invalid_request"));
        }
        c.add(new Case("no Content-Type", "demo", "POST", null, BASE, null, false, 415, "invalid_request"));
        for (String cs : List.of("foo", "utf-16", "utf-32", "ebcdic-cp-us")) {
            c.add(new Case("charset " + cs, "demo", "POST", FORM + "; charset=" + cs, BASE, null, false, 415, "invalid_request"));
        }
        c.add(new Case("JSON body", "demo", "POST", "application/json",
                "{\"grant_type\":\"authorization_code\",\"code\":\"{code}\",\"code_verifier\":\"{verifier}\"}", null, false, 415, "invalid_request"));
        // ---- methods
        for (String m : List.of("GET", "PUT", "DELETE", "PATCH")) {
            c.add(new Case(m + " /token", "demo", m, FORM, m.equals("GET") ? null : BASE, null, false, 405, "invalid_request"));
        }
        // ---- bodies
        c.add(form("body of 300000 bytes", BASE + "&pad=" + "p".repeat(300_000), 413, "invalid_request"));
        c.add(form("body one byte over the limit", BASE + "&pad=" + "p".repeat(262_145 - BASE.length()), 413, "invalid_request"));
        c.add(new Case("chunked body", "demo", "POST", FORM, BASE, null, true, 411, "invalid_request"));
        c.add(new Case("chunked empty body", "demo", "POST", FORM, "", null, true, 411, "invalid_request"));
        c.add(form("empty body", "", 401, "invalid_client"));
        c.add(form("parameter names without values", "grant_type&code&redirect_uri&code_verifier&client_id", 401, "invalid_client"));
        c.add(form("only separators", "&&&===&", 401, "invalid_client"));
        c.add(form("broken percent escapes", "%%%=%zz&&==", 400, "invalid_request"));
        c.add(form("parameters in the body's value", "x=" + enc(BASE), 401, "invalid_client"));
        // ---- the request in the query string is not a token request
        c.add(new Case("everything in the query string", "demo", "POST", FORM, "", BASE, false, 400, "invalid_request"));
        c.add(new Case("a query string beside the full body", "demo", "POST", FORM, BASE, "x=1", false, 400, "invalid_request"));
        c.add(new Case("client_id in the body, the rest in the query", "demo", "POST", FORM, "client_id=demo-client",
                with("client_id", null), false, 400, "invalid_request"));
        return c;
    }

    @BeforeAll
    void oneLiveCode() {
        demo = Flows.demoClient(s);
        code = Flows.code(s, demo, "openid");
        demoTls = Hostile.client(s.sslContext(ServerUnderTest.DEMO_CLIENT));
        otherTls = Hostile.client(s.sslContext(ServerUnderTest.OTHER_CLIENT));
        strangerTls = Hostile.client(s.sslContext(ServerUnderTest.UNREGISTERED));
        logMark = Hostile.logMark(s);
        store = new Hostile.StoreWatch(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithoutTouchingTheCode(Case k) {
        HttpClient http = switch (k.cert()) {
            case "other" -> otherTls;
            case "stranger" -> strangerTls;
            default -> demoTls;
        };
        String body = k.body() == null ? null : fill(k.body());
        URI uri = s.mtlsBase().resolve("/token" + (k.query() == null ? "" : "?" + fill(k.query())));
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : k.chunked() ? Hostile.chunked(body) : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> r = k.contentType() == null ? Hostile.send(http, k.method(), uri, publisher)
                : Hostile.send(http, k.method(), uri, publisher, "Content-Type", k.contentType());
        Hostile.assertOAuthError(r, k.status(), k.error());
    }

    private String fill(String template) {
        return template.replace("{code}", code.code()).replace("{CODE}", code.code().toUpperCase(java.util.Locale.ROOT))
                .replace("{verifier}", code.auth().verifier())
                .replace("{challenge}", be.idsvc.core.Pkce.s256(code.auth().verifier()));
    }

    @AfterAll
    void theCodeIsUntouched() {
        store.assertUnchanged();
        HttpResponse<String> r = Hostile.watched(demo.token(code.code(), code.auth().verifier()));
        assertEquals(200, r.statusCode(), "after all refusals the code still redeems: " + r.body());
        Hostile.assertQuietSince(s, logMark);
    }
}
