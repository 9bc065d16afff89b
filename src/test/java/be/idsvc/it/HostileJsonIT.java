package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import be.idsvc.testclient.RelyingParty;

/**
 * Issue 21: hostile JSON at every endpoint that takes a body. The service accepts no JSON request
 * body anywhere (every endpoint reads a form, userinfo reads a header), so a JSON body, however
 * deep, long or duplicated, must be turned away unread with the endpoint's ordinary answer
 * (415 {@code invalid_request}, 413 past the body limit, userinfo's 401 {@code invalid_token}),
 * never a 5xx, no error in the server log, and no row in the store. The limits of the parser
 * itself are unit tests ({@code be.idsvc.json.JsonTest}); this proves no endpoint hands such a
 * body to it.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileJsonIT {
    final ServerUnderTest s = ServerUnderTest.get();
    HttpClient mtls;
    HttpClient browser;
    Hostile.StoreWatch store;
    int logMark;

    record Body(String name, String json) {
        @Override public String toString() { return name; }
    }

    record Case(String name, boolean onMtls, String path, Body body, String accept, int status, String error) {
        @Override public String toString() { return name + ", " + body; }
    }

    /** Each under the 256 KiB body limit except the last. */
    static List<Body> bodies() {
        return List.of(
                new Body("nested 100000 deep", "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
                new Body("objects nested 30000 deep", "{\"a\":".repeat(30_000) + "1" + "}".repeat(30_000)),
                new Body("a string of 200000 characters", "{\"grant_type\":\"" + "x".repeat(200_000) + "\"}"),
                new Body("a number of 100000 digits", "{\"expires_in\":1" + "0".repeat(100_000) + "}"),
                new Body("a member name of 100000 characters", "{\"" + "n".repeat(100_000) + "\":1}"),
                new Body("duplicate members", "{\"grant_type\":\"authorization_code\",\"grant_type\":\"client_credentials\","
                        + "\"client_id\":\"demo-client\",\"client_id\":\"other-client\",\"token\":\"a\",\"token\":\"b\"}"),
                new Body("40000 duplicate members", "{" + "\"a\":1,".repeat(40_000) + "\"a\":1}"),
                new Body("over the body limit", "{\"a\":\"" + "y".repeat(300_000) + "\"}"));
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (Body b : bodies()) {
            boolean tooLarge = b.json().length() > 262_144;
            int formStatus = tooLarge ? 413 : 415;
            for (String path : List.of("/token", "/introspect", "/revoke")) {
                c.add(new Case("mtls POST " + path, true, path, b, null, formStatus, "invalid_request"));
            }
            // userinfo reads no body: the missing credential decides (413 first if the body is too large)
            c.add(new Case("mtls POST /userinfo", true, "/userinfo", b, null, tooLarge ? 413 : 401, tooLarge ? "invalid_request" : "invalid_token"));
            c.add(new Case("mtls POST discovery", true, "/.well-known/openid-configuration", b, null, tooLarge ? 413 : 405, "invalid_request"));
            for (String path : List.of("/authorize", "/identify", "/readout", "/consent")) {
                c.add(new Case("public POST " + path, false, path, b, null, formStatus, "invalid_request"));
                // a browser gets the page, except past the body limit, which is refused before any page code runs
                c.add(new Case("public POST " + path + " from a browser", false, path, b, "text/html", formStatus, tooLarge ? "invalid_request" : null));
            }
            c.add(new Case("public POST /token", false, "/token", b, null, tooLarge ? 413 : 400, "invalid_request"));
        }
        return c;
    }

    @BeforeAll
    void clients() {
        mtls = Hostile.client(s.sslContext(ServerUnderTest.DEMO_CLIENT));
        browser = Hostile.client(s.sslContextWithoutClientCert());
        logMark = Hostile.logMark(s);
        store = new Hostile.StoreWatch(s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void turnedAwayUnread(Case k) {
        URI uri = (k.onMtls() ? s.mtlsBase() : s.publicBase()).resolve(k.path());
        HttpClient http = k.onMtls() ? mtls : browser;
        List<String> headers = new ArrayList<>(List.of("Content-Type", "application/json"));
        if (k.accept() != null) headers.addAll(List.of("Accept", k.accept()));
        HttpResponse<String> r = Hostile.send(http, "POST", uri, HttpRequest.BodyPublishers.ofString(k.body().json()), headers.toArray(String[]::new));
        if (k.error() != null) {
            Hostile.assertOAuthError(r, k.status(), k.error());
        } else {
            Hostile.assertErrorPage(r, k.status());
        }
    }

    @AfterAll
    void nothingChangedAndNothingBroke() {
        store.assertUnchanged();
        Hostile.assertQuietSince(s, logMark);
        // and the mapper still answers: discovery parses with the client's JSON reader
        HttpResponse<String> d = Hostile.send(mtls, "GET", s.mtlsBase().resolve("/.well-known/openid-configuration"), HttpRequest.BodyPublishers.noBody());
        assertEquals(200, d.statusCode(), d.body());
        assertTrue(RelyingParty.json(d.body()).containsKey("issuer"));
    }
}
