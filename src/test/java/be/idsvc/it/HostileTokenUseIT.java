package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

import be.idsvc.core.Secrets;
import be.idsvc.testclient.RelyingParty;

/**
 * Access tokens used as an attacker would: at userinfo with malformed Authorization headers, with
 * another client's certificate, and at introspection and revocation across clients. First every
 * refusal (the store must be unchanged after them and both clients' tokens still valid), then the
 * misuses that must change state: replayed and concurrently redeemed codes, revocation by the owner.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileTokenUseIT {
    final ServerUnderTest s = ServerUnderTest.get();

    RelyingParty demo;
    RelyingParty other;
    String demoToken;
    String otherToken;
    HttpClient demoTls;
    HttpClient otherTls;
    HttpClient strangerTls;
    Hostile.StoreWatch store;
    int logMark;

    @BeforeAll
    void twoClientsWithATokenEach() {
        demo = Flows.demoClient(s);
        other = Flows.otherClient(s);
        demoToken = (String) Flows.tokens(s, demo, "openid profile").get("access_token");
        otherToken = (String) Flows.tokens(s, other, "openid").get("access_token");
        demoTls = Hostile.client(s.sslContext(ServerUnderTest.DEMO_CLIENT));
        otherTls = Hostile.client(s.sslContext(ServerUnderTest.OTHER_CLIENT));
        strangerTls = Hostile.client(s.sslContext(ServerUnderTest.UNREGISTERED));
        logMark = Hostile.logMark(s);
        store = new Hostile.StoreWatch(s);
    }

    private URI at(String path) {
        return s.mtlsBase().resolve(path);
    }

    // ---- userinfo: the Authorization header --------------------------------------------------------

    /** name, Authorization value ({T} demo's token, {O} other-client's), status, error. */
    static List<Object[]> authorizationHeaders() {
        return List.of(
                new Object[] {"Basic credentials", "Basic ZGVtby1jbGllbnQ6c2VjcmV0", 400, "invalid_request"},
                new Object[] {"scheme without token", "Bearer", 400, "invalid_request"},
                new Object[] {"token and more", "Bearer {T} extra", 400, "invalid_request"},
                new Object[] {"token with a comma", "Bearer {T},", 400, "invalid_request"},
                new Object[] {"DPoP scheme", "DPoP {T}", 400, "invalid_request"},
                new Object[] {"MAC scheme", "MAC id=\"{T}\"", 400, "invalid_request"},
                new Object[] {"token in quotes", "Bearer \"{T}\"", 400, "invalid_request"},
                new Object[] {"token of 5000 chars", "Bearer " + "a".repeat(5000), 400, "invalid_request"},
                new Object[] {"non-token characters", "Bearer {T}%00", 400, "invalid_request"},
                new Object[] {"unknown token", "Bearer " + Secrets.newHandle(), 401, "invalid_token"},
                new Object[] {"token one char longer", "Bearer {T}A", 401, "invalid_token"},
                new Object[] {"token with padding", "Bearer {T}==", 401, "invalid_token"},
                new Object[] {"token in upper case", "Bearer {TU}", 401, "invalid_token"},
                new Object[] {"another client's token", "Bearer {O}", 401, "invalid_token"});
    }

    private String fill(String v) {
        return v.replace("{TU}", demoToken.toUpperCase(java.util.Locale.ROOT)).replace("{T}", demoToken).replace("{O}", otherToken);
    }

    @Order(1)
    @ParameterizedTest(name = "userinfo with Authorization: {0}")
    @MethodSource("authorizationHeaders")
    void userinfoRefusesTheHeader(String name, String value, int status, String error) {
        HttpResponse<String> r = Hostile.send(demoTls, "GET", at("/userinfo"), HttpRequest.BodyPublishers.noBody(), "Authorization", fill(value));
        Hostile.assertOAuthError(r, status, error);
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().map().toString());
    }

    /** RFC 6750 §2.1 with RFC 9110 §11.1: the scheme is case-insensitive, and one or more spaces follow it. */
    @Order(1)
    @Test
    void theSchemeIsCaseInsensitive() {
        for (String scheme : List.of("bearer ", "BEARER ", "Bearer  ")) {
            HttpResponse<String> r = Hostile.send(demoTls, "GET", at("/userinfo"), HttpRequest.BodyPublishers.noBody(), "Authorization", scheme + demoToken);
            assertEquals(200, r.statusCode(), scheme + ": " + r.body());
        }
    }

    @Order(1)
    @Test
    void userinfoWithTwoAuthorizationHeadersIsInvalidRequest() {
        HttpResponse<String> r = Hostile.send(demoTls, "GET", at("/userinfo"), HttpRequest.BodyPublishers.noBody(),
                "Authorization", "Bearer " + otherToken, "Authorization", "Bearer " + demoToken);
        Hostile.assertOAuthError(r, 400, "invalid_request");
    }

    @Order(1)
    @Test
    void userinfoTakesNoTokenFromTheQueryOrTheBody() {
        Hostile.assertOAuthError(Hostile.send(demoTls, "GET", at("/userinfo?access_token=" + demoToken), HttpRequest.BodyPublishers.noBody()),
                401, "invalid_token");
        Hostile.assertOAuthError(Hostile.postForm(demoTls, at("/userinfo"), "access_token=" + demoToken), 401, "invalid_token");
    }

    /** The thief holds the token but not demo-client's key. */
    @Order(1)
    @ParameterizedTest(name = "demo-client's token with the {0} certificate")
    @MethodSource("thieves")
    void aTokenWithAnotherCertificateIsInvalidToken(String who) {
        HttpClient http = who.equals(ServerUnderTest.OTHER_CLIENT) ? otherTls : strangerTls;
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = Hostile.send(http, method, at("/userinfo"), HttpRequest.BodyPublishers.noBody(), "Authorization", "Bearer " + demoToken);
            Hostile.assertOAuthError(r, 401, "invalid_token");
        }
    }

    static List<String> thieves() {
        return List.of(ServerUnderTest.OTHER_CLIENT, ServerUnderTest.UNREGISTERED);
    }

    @Order(1)
    @ParameterizedTest(name = "userinfo by {0}")
    @MethodSource("userinfoMethods")
    void userinfoRefusesOtherMethods(String method) {
        Hostile.assertOAuthError(Hostile.send(demoTls, method, at("/userinfo"), HttpRequest.BodyPublishers.noBody(),
                "Authorization", "Bearer " + demoToken), 405, "invalid_request");
    }

    static List<String> userinfoMethods() {
        return List.of("PUT", "DELETE", "PATCH");
    }

    // ---- introspection and revocation across clients -----------------------------------------------

    @Order(1)
    @Test
    void anotherClientsTokenIntrospectsAsInactive() {
        for (var pair : List.of(Map.entry(demoTls, Map.entry("demo-client", otherToken)), Map.entry(otherTls, Map.entry("other-client", demoToken)))) {
            HttpResponse<String> r = Hostile.watched(Hostile.postForm(pair.getKey(), at("/introspect"),
                    Hostile.form("token", pair.getValue().getValue(), "client_id", pair.getValue().getKey())));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(Map.of("active", false), RelyingParty.json(r.body()));
        }
    }

    @Order(1)
    @Test
    void anotherClientsRevocationIsANoOp() {
        for (var pair : List.of(Map.entry(demoTls, Map.entry("demo-client", otherToken)), Map.entry(otherTls, Map.entry("other-client", demoToken)))) {
            HttpResponse<String> r = Hostile.watched(Hostile.postForm(pair.getKey(), at("/revoke"),
                    Hostile.form("token", pair.getValue().getValue(), "client_id", pair.getValue().getKey())));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(Map.of(), RelyingParty.json(r.body()));
        }
    }

    /** endpoint, client certificate, form body, status, error. */
    static List<Object[]> clientTokenRequests() {
        List<Object[]> out = new ArrayList<>();
        for (String ep : List.of("/introspect", "/revoke")) {
            out.add(new Object[] {ep, "stranger", "token={T}&client_id=unregistered", 401, "invalid_client"});
            out.add(new Object[] {ep, "stranger", "token={T}&client_id=demo-client", 401, "invalid_client"});
            out.add(new Object[] {ep, "demo", "token={T}&client_id=other-client", 401, "invalid_client"});
            out.add(new Object[] {ep, "other", "token={T}&client_id=demo-client", 401, "invalid_client"});
            out.add(new Object[] {ep, "demo", "token={T}", 401, "invalid_client"});
            out.add(new Object[] {ep, "demo", "client_id=demo-client", 400, "invalid_request"});
            out.add(new Object[] {ep, "demo", "token=&client_id=demo-client", 400, "invalid_request"});
            out.add(new Object[] {ep, "demo", "token={T}&token={T}&client_id=demo-client", 400, "invalid_request"});
            out.add(new Object[] {ep, "demo", "token={O}&token={T}&client_id=demo-client", 400, "invalid_request"});
            out.add(new Object[] {ep, "demo", "token={T}&client_id=demo-client&client_id=demo-client", 400, "invalid_request"});
            out.add(new Object[] {ep, "demo", "token=" + "t".repeat(2049) + "&client_id=demo-client", 400, "invalid_request"});
            out.add(new Object[] {ep, "demo", "JSON {\"token\":\"{T}\"}", 415, "invalid_request"});
            out.add(new Object[] {ep, "demo", "NOCT token={T}&client_id=demo-client", 415, "invalid_request"});
            out.add(new Object[] {ep, "demo", "CHUNKED token={T}&client_id=demo-client", 411, "invalid_request"});
            out.add(new Object[] {ep, "demo", "GET", 405, "invalid_request"});
        }
        return out;
    }

    @Order(1)
    @ParameterizedTest(name = "{0} by {1}: {2}")
    @MethodSource("clientTokenRequests")
    void clientTokenRequestsAreRefused(String endpoint, String cert, String body, int status, String error) {
        HttpClient http = switch (cert) {
            case "stranger" -> strangerTls;
            case "other" -> otherTls;
            default -> demoTls;
        };
        URI uri = at(endpoint);
        String b = fill(body);
        HttpResponse<String> r;
        if (b.equals("GET")) r = Hostile.send(http, "GET", uri, HttpRequest.BodyPublishers.noBody());
        else if (b.startsWith("JSON ")) r = Hostile.send(http, "POST", uri, HttpRequest.BodyPublishers.ofString(b.substring(5)), "Content-Type", "application/json");
        else if (b.startsWith("NOCT ")) r = Hostile.send(http, "POST", uri, HttpRequest.BodyPublishers.ofString(b.substring(5)));
        else if (b.startsWith("CHUNKED ")) r = Hostile.send(http, "POST", uri, Hostile.chunked(b.substring(8)), "Content-Type", "application/x-www-form-urlencoded");
        else r = Hostile.postForm(http, uri, b);
        Hostile.assertOAuthError(r, status, error);
    }

    @Order(2)
    @Test
    void theRefusalsChangedNothing() {
        store.assertUnchanged();
        assertEquals(200, Hostile.watched(demo.userinfo(demoToken)).statusCode());
        assertEquals(200, Hostile.watched(other.userinfo(otherToken)).statusCode());
        HttpResponse<String> mine = Hostile.watched(Hostile.postForm(demoTls, at("/introspect"), Hostile.form("token", demoToken, "client_id", "demo-client")));
        assertEquals(true, RelyingParty.json(mine.body()).get("active"), mine.body());
    }

    // ---- misuse that must change state --------------------------------------------------------------

    @Order(3)
    @Test
    void aReplayedCodeIsRefusedAndRevokesTheTokenItBought() {
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        HttpResponse<String> first = Hostile.watched(demo.token(c.code(), c.auth().verifier()));
        assertEquals(200, first.statusCode(), first.body());
        String at = (String) RelyingParty.json(first.body()).get("access_token");
        Hostile.assertOAuthError(demo.token(c.code(), c.auth().verifier()), 400, "invalid_grant");
        Hostile.assertOAuthError(demo.userinfo(at), 401, "invalid_token");
        HttpResponse<String> intro = Hostile.watched(Hostile.postForm(demoTls, at("/introspect"), Hostile.form("token", at, "client_id", "demo-client")));
        assertEquals(Map.of("active", false), RelyingParty.json(intro.body()));
    }

    @Order(3)
    @Test
    void aCodeReplayedByAnotherClientIsRefused() {
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        assertEquals(200, Hostile.watched(demo.token(c.code(), c.auth().verifier())).statusCode());
        HttpResponse<String> r = Hostile.postForm(otherTls, at("/token"), Hostile.form("grant_type", "authorization_code", "code", c.code(),
                "redirect_uri", other.redirectUri(), "code_verifier", c.auth().verifier(), "client_id", "other-client"));
        Hostile.assertOAuthError(r, 400, "invalid_grant");
    }

    @Order(3)
    @Test
    void concurrentRedemptionsWithMixedVerifiersHaveExactlyOneWinner() throws Exception {
        Flows.CodeAndAuth c = Flows.code(s, demo, "openid");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String verifier = i % 2 == 0 ? c.auth().verifier() : Secrets.newHandle();
            answers.add(pool.submit(() -> {
                go.await();
                return demo.token(c.code(), verifier);
            }));
        }
        go.countDown();
        int ok = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = Hostile.watched(f.get());
            if (r.statusCode() == 200) ok++;
            else Hostile.assertOAuthError(r, 400, "invalid_grant");
        }
        pool.shutdown();
        assertEquals(1, ok);
    }

    @Order(3)
    @Test
    void theOwnersRevocationEndsTheTokenEverywhere() {
        HttpResponse<String> r = Hostile.watched(Hostile.postForm(demoTls, at("/revoke"), Hostile.form("token", demoToken, "client_id", "demo-client")));
        assertEquals(200, r.statusCode(), r.body());
        Hostile.assertOAuthError(demo.userinfo(demoToken), 401, "invalid_token");
        HttpResponse<String> intro = Hostile.watched(Hostile.postForm(demoTls, at("/introspect"), Hostile.form("token", demoToken, "client_id", "demo-client")));
        assertEquals(Map.of("active", false), RelyingParty.json(intro.body()));
        HttpResponse<String> again = Hostile.watched(Hostile.postForm(demoTls, at("/revoke"), Hostile.form("token", demoToken, "client_id", "demo-client")));
        assertEquals(200, again.statusCode(), "revoking twice is no error (RFC 7009 §2.2)");
        assertEquals(200, Hostile.watched(other.userinfo(otherToken)).statusCode(), "other-client's token is untouched");
    }

    @AfterAll
    void quiet() {
        Hostile.assertQuietSince(s, logMark);
    }
}
