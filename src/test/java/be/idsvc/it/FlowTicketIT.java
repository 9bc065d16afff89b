package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.core.Pkce;
import be.idsvc.core.Secrets;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;

/**
 * Issue 13, defect 7, against the real deployments: state and nonce are capped (invalid_request,
 * never a 503 from a store column), the longest allowed ones survive the whole flow, and a flow
 * ticket opens only in its own browser and only unaltered.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class FlowTicketIT {
    static final String NOT_VALID = "This sign-in is no longer valid";
    final ServerUnderTest s = ServerUnderTest.get();

    Map<String, String> request(String state, String nonce, String verifier) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", "demo-client");
        p.put("redirect_uri", "http://127.0.0.1:8765/callback");
        p.put("scope", "openid profile");
        p.put("state", state);
        p.put("nonce", nonce);
        p.put("code_challenge", Pkce.s256(verifier));
        p.put("code_challenge_method", "S256");
        return p;
    }

    HttpResponse<String> authorize(Browser b, String state, String nonce) {
        return b.post(s.publicBase().resolve("/authorize"), request(state, nonce, Secrets.newHandle()));
    }

    @Test
    void longOrOddStateAndNonceAreInvalidRequestsNotAStoreOutage() {
        Browser b = Flows.browser(s);
        // within the old 2048 limit: this answered 503 when the flow was a store row
        HttpResponse<String> wide = authorize(b, "\u2000".repeat(2048), "\u2000".repeat(2048));
        assertEquals(303, wide.statusCode(), wide.body());
        assertEquals(Map.of("error", "invalid_request", "error_description", "state is too long", "iss", s.issuer()), Browser.query(wide));

        HttpResponse<String> longNonce = authorize(b, "st", "n".repeat(513));
        assertEquals(Map.of("error", "invalid_request", "error_description", "nonce is too long", "state", "st", "iss", s.issuer()),
                Browser.query(longNonce));
        HttpResponse<String> controlState = authorize(b, "a\nb", "n");
        assertEquals("state contains control characters", Browser.query(controlState).get("error_description"));
        assertFalse(Browser.query(controlState).containsKey("state"));
        HttpResponse<String> controlNonce = b.get(URI.create(s.publicBase().resolve("/authorize") + "?" + RelyingParty.form(request("st", "x\u0000y", "v"))));
        assertEquals(303, controlNonce.statusCode());
        assertEquals(Map.of("error", "invalid_request", "error_description", "nonce contains control characters", "state", "st",
                "iss", s.issuer()), Browser.query(controlNonce));
    }

    @Test
    void theLongestStateAndNonceComeBackIntact() {
        RelyingParty rp = Flows.demoClient(s);
        Browser b = Flows.browser(s);
        String state = "\u20ac".repeat(1024);
        String nonce = "\u00e9".repeat(512);
        String verifier = Secrets.newHandle();
        HttpResponse<String> identify = b.follow(b.post(s.publicBase().resolve("/authorize"), request(state, nonce, verifier)),
                Flows.publicOrigin(s));
        assertEquals(200, identify.statusCode(), identify.body());
        Map<String, String> form = Browser.hiddenFields(identify.body());
        form.put("person", Browser.firstOption(identify.body()));
        form.put("action", "identify");
        HttpResponse<String> consent = b.follow(b.post(s.publicBase().resolve("/identify"), form), Flows.publicOrigin(s));
        assertEquals(200, consent.statusCode(), consent.body());
        Map<String, String> approve = Browser.hiddenFields(consent.body());
        approve.put("decision", "approve");
        HttpResponse<String> callback = b.post(s.publicBase().resolve("/consent"), approve);
        assertEquals(303, callback.statusCode(), callback.body());
        Map<String, String> q = Browser.query(callback);
        assertEquals(state, q.get("state"));
        HttpResponse<String> token = rp.token(q.get("code"), verifier);
        assertEquals(200, token.statusCode(), token.body());
        JwtClaims id = rp.verifyIdToken((String) RelyingParty.json(token.body()).get("id_token"), nonce);
        assertEquals(nonce, id.getClaimValue("nonce"));
    }

    @Test
    void aTicketOpensOnlyInItsOwnBrowserAndOnlyUnaltered() {
        Browser mine = Flows.browser(s);
        HttpResponse<String> identify = mine.follow(authorize(mine, "st", "n"), Flows.publicOrigin(s));
        assertEquals(200, identify.statusCode());
        Map<String, String> form = Browser.hiddenFields(identify.body());
        String ticket = form.get("flow");

        Browser other = Flows.browser(s);
        assertEquals(200, other.follow(authorize(other, "x", "y"), Flows.publicOrigin(s)).statusCode(), "the other browser has its own cookie");
        for (String page : new String[] {"/identify", "/readout", "/consent"}) {
            HttpResponse<String> r = other.get(s.publicBase().resolve(page + "?flow=" + ticket));
            assertEquals(400, r.statusCode(), page);
            assertTrue(r.body().contains(NOT_VALID), page);
        }
        Map<String, String> stolen = new LinkedHashMap<>(form);
        stolen.put("person", "alice");
        stolen.put("action", "identify");
        HttpResponse<String> posted = other.post(s.publicBase().resolve("/identify"), stolen);
        assertEquals(400, posted.statusCode());
        assertTrue(posted.body().contains(NOT_VALID));

        int mid = ticket.length() / 2;
        String tampered = ticket.substring(0, mid) + (ticket.charAt(mid) == 'A' ? 'B' : 'A') + ticket.substring(mid + 1);
        HttpResponse<String> altered = mine.get(s.publicBase().resolve("/identify?flow=" + tampered));
        assertEquals(400, altered.statusCode());
        assertTrue(altered.body().contains(NOT_VALID));
        assertEquals(200, mine.get(s.publicBase().resolve("/identify?flow=" + ticket)).statusCode(), "the genuine ticket still works");
    }
}
