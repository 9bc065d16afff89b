package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/** Walks the flow up to the callback, as a person and a client application would. */
final class Flows {
    private Flows() {}

    static RelyingParty demoClient(ServerUnderTest s) {
        return new RelyingParty("demo-client", "http://127.0.0.1:8765/callback", s.mtlsBase(), s.sslContext(ServerUnderTest.DEMO_CLIENT));
    }

    static RelyingParty otherClient(ServerUnderTest s) {
        return new RelyingParty("other-client", "http://127.0.0.1:8766/callback", s.mtlsBase(), s.sslContext(ServerUnderTest.OTHER_CLIENT));
    }

    static Browser browser(ServerUnderTest s) {
        return new Browser(s.sslContextWithoutClientCert());
    }

    static String publicOrigin(ServerUnderTest s) {
        URI u = s.publicBase();
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** Authorize, identify with the first virtual test card, consent; returns the callback's parameters. */
    static Map<String, String> toCallback(ServerUnderTest s, Browser browser, Authorization auth, String decision) {
        return toCallback(s, browser, auth, decision, null);
    }

    /** Authorize, identify with virtual test card {@code person} (null: the first listed), consent. */
    static Map<String, String> toCallback(ServerUnderTest s, Browser browser, Authorization auth, String decision, String person) {
        HttpResponse<String> identify = browser.follow(browser.get(auth.url()), publicOrigin(s));
        assertEquals(200, identify.statusCode(), identify.body());
        Map<String, String> hidden = Browser.hiddenFields(identify.body());
        hidden.put("person", person != null ? person : Browser.firstOption(identify.body()));
        hidden.put("action", "identify");
        HttpResponse<String> consent = browser.follow(browser.post(s.publicBase().resolve("/identify"), hidden), publicOrigin(s));
        assertEquals(200, consent.statusCode(), consent.body());
        Map<String, String> form = Browser.hiddenFields(consent.body());
        form.put("decision", decision);
        HttpResponse<String> callback = browser.post(s.publicBase().resolve("/consent"), form);
        assertEquals(303, callback.statusCode(), callback.body());
        return Browser.query(callback);
    }

    /** A fresh code for the client, with the authorization that produced it. */
    static CodeAndAuth code(ServerUnderTest s, RelyingParty rp, String scope) {
        Authorization auth = rp.authorization(scope);
        Map<String, String> q = toCallback(s, browser(s), auth, "approve");
        assertEquals(auth.state(), q.get("state"));
        return new CodeAndAuth(q.get("code"), auth);
    }

    /** A fresh access token for the client. */
    static Map<String, Object> tokens(ServerUnderTest s, RelyingParty rp, String scope) {
        CodeAndAuth c = code(s, rp, scope);
        HttpResponse<String> r = rp.token(c.code(), c.auth().verifier());
        assertEquals(200, r.statusCode(), r.body());
        return RelyingParty.json(r.body());
    }

    record CodeAndAuth(String code, Authorization auth) {}
}
