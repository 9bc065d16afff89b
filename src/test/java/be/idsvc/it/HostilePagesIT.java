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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

import be.idsvc.identify.BrowserBinding;
import be.idsvc.core.Secrets;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;

/**
 * CSRF and cookie misuse on every page (identify, consent, readout), and forms in shapes a browser
 * never sends: in the query string, repeated fields, without or with another Content-Type, chunked.
 * A person's browser holds two flows at identify and one at consent; an attacker's browser has a
 * flow of its own. Every hostile request is refused; afterwards the store is as before and the
 * person still completes both steps.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostilePagesIT {
    final ServerUnderTest s = ServerUnderTest.get();
    private static final Pattern COOKIE = Pattern.compile(BrowserBinding.COOKIE + "=([A-Za-z0-9_-]{43})");
    private static final String FORM = "application/x-www-form-urlencoded";

    /** A browser's binding secret and one of its flows, with the page's CSRF token and test card. */
    record Bound(String secret, String flow, String csrf, String person) {}

    HttpClient http;
    Bound identify;
    Bound identify2;
    Bound consent;
    Bound mallory;
    Hostile.StoreWatch store;
    int logMark;

    @BeforeAll
    void flowsOfAPersonAndOfAnAttacker() {
        http = Hostile.client(s.sslContextWithoutClientCert());
        RelyingParty demo = Flows.demoClient(s);
        identify = start(demo, null);
        identify2 = start(demo, identify.secret());
        Bound c = start(demo, identify.secret());
        HttpResponse<String> toConsent = post("/identify", identify.secret(), FORM,
                Hostile.form("flow", c.flow(), "csrf", c.csrf(), "lang", "en", "person", c.person(), "action", "identify"));
        assertEquals(303, toConsent.statusCode(), toConsent.body());
        HttpResponse<String> page = get("/consent?flow=" + c.flow(), c.secret());
        assertEquals(200, page.statusCode(), page.body());
        consent = new Bound(c.secret(), c.flow(), Browser.hiddenFields(page.body()).get("csrf"), null);
        mallory = start(demo, null);
        logMark = Hostile.logMark(s);
        store = new Hostile.StoreWatch(s);
    }

    /** authorize → identify page, with the browser secret given (null: the one the service sets). */
    private Bound start(RelyingParty rp, String secret) {
        URI url = rp.authorization("openid").url();
        HttpResponse<String> r = secret == null ? Hostile.send(http, "GET", url, HttpRequest.BodyPublishers.noBody())
                : Hostile.send(http, "GET", url, HttpRequest.BodyPublishers.noBody(), "Cookie", BrowserBinding.COOKIE + "=" + secret);
        assertEquals(303, r.statusCode(), r.body());
        Matcher m = COOKIE.matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
        assertTrue(m.find());
        String sec = m.group(1);
        String location = r.headers().firstValue("Location").orElseThrow();
        String flow = location.substring(location.indexOf("flow=") + 5);
        HttpResponse<String> page = get("/identify?flow=" + flow, sec);
        assertEquals(200, page.statusCode(), page.body());
        Map<String, String> hidden = Browser.hiddenFields(page.body());
        return new Bound(sec, flow, hidden.get("csrf"), Browser.firstOption(page.body()));
    }

    private HttpResponse<String> get(String pathAndQuery, String secret) {
        return secret == null ? Hostile.send(http, "GET", s.publicBase().resolve(pathAndQuery), HttpRequest.BodyPublishers.noBody(), "Accept", "text/html")
                : Hostile.send(http, "GET", s.publicBase().resolve(pathAndQuery), HttpRequest.BodyPublishers.noBody(), "Accept", "text/html",
                        "Cookie", BrowserBinding.COOKIE + "=" + secret);
    }

    private HttpResponse<String> post(String pathAndQuery, String cookieValue, String contentType, String body) {
        List<String> h = new ArrayList<>(List.of("Accept", "text/html"));
        if (cookieValue != null) h.addAll(List.of("Cookie", cookieValue.contains("=") ? cookieValue : BrowserBinding.COOKIE + "=" + cookieValue));
        if (contentType != null) h.addAll(List.of("Content-Type", contentType));
        HttpRequest.BodyPublisher p = body.startsWith("CHUNKED ") ? Hostile.chunked(body.substring(8)) : HttpRequest.BodyPublishers.ofString(body);
        return Hostile.send(http, "POST", s.publicBase().resolve(pathAndQuery), p, h.toArray(String[]::new));
    }

    // ---- GET: a page opens only for the browser its flow is bound to -----------------------------------

    static List<Object[]> pageGets() {
        List<Object[]> out = new ArrayList<>();
        for (String page : List.of("/identify", "/consent", "/readout")) {
            for (String how : List.of("no cookie", "attacker's cookie", "malformed cookie", "cookie without __Host- prefix", "cookie of 5000 chars",
                    "no flow", "malformed flow", "flow with path syntax", "unknown flow", "attacker's flow", "flow repeated")) {
                out.add(new Object[] {page, how});
            }
        }
        return out;
    }

    @Order(1)
    @ParameterizedTest(name = "GET {0}: {1}")
    @MethodSource("pageGets")
    void aPageOpensOnlyInItsBrowser(String page, String how) {
        Bound b = page.equals("/consent") ? consent : identify;
        String q = page + "?flow=" + b.flow();
        HttpResponse<String> r = switch (how) {
            case "no cookie" -> get(q, null);
            case "attacker's cookie" -> get(q, mallory.secret());
            case "malformed cookie" -> Hostile.send(http, "GET", s.publicBase().resolve(q), HttpRequest.BodyPublishers.noBody(),
                    "Accept", "text/html", "Cookie", BrowserBinding.COOKIE + "=" + b.secret().substring(1) + "!");
            case "cookie without __Host- prefix" -> Hostile.send(http, "GET", s.publicBase().resolve(q), HttpRequest.BodyPublishers.noBody(),
                    "Accept", "text/html", "Cookie", "idsvc-browser=" + b.secret());
            case "cookie of 5000 chars" -> get(q, "a".repeat(5000));
            case "no flow" -> get(page, b.secret());
            case "malformed flow" -> get(page + "?flow=%00%ff%3Cscript%3E", b.secret());
            case "flow with path syntax" -> get(page + "?flow=..%2F..%2F" + b.flow().substring(6), b.secret());
            case "unknown flow" -> get(page + "?flow=" + Secrets.newHandle(), b.secret());
            case "attacker's flow" -> get(page + "?flow=" + mallory.flow(), b.secret());
            case "flow repeated" -> get(q + "&flow=" + b.flow(), b.secret());
            default -> throw new IllegalArgumentException(how);
        };
        Hostile.assertErrorPage(r, 400);
        assertTrue(r.body().contains("id=\"error\""), r.body());
    }

    // ---- POST: CSRF, binding and form shapes --------------------------------------------------------------

    /** page, case name. */
    static List<Object[]> pagePosts() {
        List<Object[]> out = new ArrayList<>();
        for (String page : List.of("/identify", "/consent", "/readout")) {
            for (String how : List.of("no cookie", "attacker's cookie", "csrf missing", "csrf empty", "csrf wrong", "csrf of another flow",
                    "csrf made with the attacker's cookie", "csrf of the attacker's flow", "flow repeated", "csrf repeated",
                    "lang repeated", "form in the query string", "form in the query string, csrf in the body", "no Content-Type",
                    "Content-Type JSON", "Content-Type text/plain", "Content-Type multipart", "charset foo", "chunked", "flow of 300 chars",
                    "attacker's flow with the person's cookie")) {
                out.add(new Object[] {page, how});
            }
        }
        for (String how : List.of("action repeated", "person repeated", "person unknown", "person with path syntax", "person empty")) {
            out.add(new Object[] {"/identify", how});
        }
        for (String how : List.of("decision repeated", "decision unknown", "decision missing", "approve before identifying")) {
            out.add(new Object[] {"/consent", how});
        }
        return out;
    }

    /** The rightful form of the page, in field order, as pairs. */
    private List<String> rightful(String page, Bound b) {
        List<String> f = new ArrayList<>(List.of("flow", b.flow(), "csrf", b.csrf(), "lang", "en"));
        switch (page) {
            case "/identify" -> f.addAll(List.of("person", b.person(), "action", "identify"));
            case "/consent" -> f.addAll(List.of("decision", "approve"));
            default -> f.addAll(List.of("error", "no_card"));
        }
        return f;
    }

    private static List<String> replaced(List<String> pairs, String name, String value) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            if (!pairs.get(i).equals(name)) {
                out.add(pairs.get(i));
                out.add(pairs.get(i + 1));
            } else if (value != null) {
                out.add(name);
                out.add(value);
            }
        }
        return out;
    }

    private static List<String> plus(List<String> pairs, String... more) {
        List<String> out = new ArrayList<>(pairs);
        out.addAll(List.of(more));
        return out;
    }

    private static String body(List<String> pairs) {
        return Hostile.form(pairs.toArray(String[]::new));
    }

    private static String valueOf(List<String> pairs, String name) {
        for (int i = 0; i < pairs.size(); i += 2) if (pairs.get(i).equals(name)) return pairs.get(i + 1);
        return null;
    }

    @Order(1)
    @ParameterizedTest(name = "POST {0}: {1}")
    @MethodSource("pagePosts")
    void aHostilePostIsRefused(String page, String how) {
        Bound b = page.equals("/consent") ? consent : identify;
        List<String> f = rightful(page, b);
        String me = b.secret();
        int expected = 400;
        HttpResponse<String> r = switch (how) {
            case "no cookie" -> post(page, null, FORM, body(f));
            case "attacker's cookie" -> post(page, mallory.secret(), FORM, body(f));
            case "csrf missing" -> { expected = 403; yield post(page, me, FORM, body(replaced(f, "csrf", null))); }
            case "csrf empty" -> { expected = 403; yield post(page, me, FORM, body(replaced(f, "csrf", ""))); }
            case "csrf wrong" -> { expected = 403; yield post(page, me, FORM, body(replaced(f, "csrf", Secrets.newHandle()))); }
            case "csrf of another flow" -> { expected = 403; yield post(page, me, FORM, body(replaced(f, "csrf", identify2.csrf()))); }
            case "csrf made with the attacker's cookie" -> {
                expected = 403;
                yield post(page, me, FORM, body(replaced(f, "csrf", BrowserBinding.csrfToken(mallory.secret(), b.flow()))));
            }
            case "csrf of the attacker's flow" -> { expected = 403; yield post(page, me, FORM, body(replaced(f, "csrf", mallory.csrf()))); }
            case "flow repeated" -> post(page, me, FORM, body(plus(f, "flow", b.flow())));
            case "csrf repeated" -> post(page, me, FORM, body(plus(f, "csrf", valueOf(f, "csrf"))));
            case "lang repeated" -> post(page, me, FORM, body(plus(f, "lang", "fr")));
            case "form in the query string" -> post(page + "?" + body(f), me, FORM, "");
            case "form in the query string, csrf in the body" -> post(page + "?" + body(replaced(f, "csrf", null)), me, FORM,
                    Hostile.form("csrf", valueOf(f, "csrf")));
            case "no Content-Type" -> { expected = 415; yield post(page, me, null, body(f)); }
            case "Content-Type JSON" -> { expected = 415; yield post(page, me, "application/json", "{\"flow\":\"" + b.flow() + "\"}"); }
            case "Content-Type text/plain" -> { expected = 415; yield post(page, me, "text/plain", body(f)); }
            case "Content-Type multipart" -> { expected = 415; yield post(page, me, "multipart/form-data; boundary=x", body(f)); }
            case "charset foo" -> { expected = 415; yield post(page, me, FORM + "; charset=foo", body(f)); }
            case "chunked" -> { expected = 411; yield post(page, me, FORM, "CHUNKED " + body(f)); }
            case "flow of 300 chars" -> post(page, me, FORM, body(replaced(f, "flow", "f".repeat(300))));
            case "attacker's flow with the person's cookie" -> post(page, me, FORM, body(replaced(f, "flow", mallory.flow())));
            case "action repeated" -> post(page, me, FORM, body(plus(f, "action", "cancel")));
            case "person repeated" -> post(page, me, FORM, body(plus(f, "person", valueOf(f, "person"))));
            case "person unknown" -> post(page, me, FORM, body(replaced(f, "person", "nobody")));
            case "person with path syntax" -> post(page, me, FORM, body(replaced(f, "person", "../../idsvc")));
            case "person empty" -> post(page, me, FORM, body(replaced(f, "person", "")));
            case "decision repeated" -> post(page, me, FORM, body(plus(replaced(f, "decision", "deny"), "decision", "approve")));
            case "decision unknown" -> post(page, me, FORM, body(replaced(f, "decision", "maybe")));
            case "decision missing" -> post(page, me, FORM, body(replaced(f, "decision", null)));
            case "approve before identifying" -> post(page, identify.secret(), FORM, body(rightful(page, identify)));
            default -> throw new IllegalArgumentException(how);
        };
        assertEquals(expected, r.statusCode(), how + ": " + r.body());
        assertTrue(r.headers().firstValue("Location").isEmpty(), "went on to " + r.headers().firstValue("Location"));
    }

    @Order(2)
    @Test
    void theRefusalsChangedNothingAndThePersonCarriesOn() {
        store.assertUnchanged();
        HttpResponse<String> identified = post("/identify", identify.secret(), FORM, body(rightful("/identify", identify)));
        assertEquals(303, identified.statusCode(), identified.body());
        HttpResponse<String> approved = post("/consent", consent.secret(), FORM, body(rightful("/consent", consent)));
        assertEquals(303, approved.statusCode(), approved.body());
        assertTrue(approved.headers().firstValue("Location").orElseThrow().startsWith("http://127.0.0.1:8765/callback?code="));
    }

    @AfterAll
    void quiet() {
        Hostile.assertQuietSince(s, logMark);
    }
}
