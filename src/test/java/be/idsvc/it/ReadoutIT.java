package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.jose4j.jwt.JwtClaims;

import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualPerson;
import be.idsvc.identify.SandboxCards;
import be.idsvc.pki.Pem;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/**
 * The eID readout page on the real server: the test plays the page's script, filling the fields
 * from a virtual card's files and signing the page's challenge with the card's key.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class ReadoutIT {
    final ServerUnderTest s = ServerUnderTest.get();
    final SandboxCards cards = new SandboxCards(s.home().resolve("sandbox/cards"));

    /** A browser in a started flow, and the flow's reference. */
    record Started(Browser browser, String flow, Authorization auth, RelyingParty rp) {}

    Started start() {
        return start(Flows.demoClient(s));
    }

    Started start(RelyingParty rp) {
        Authorization auth = rp.authorization("openid profile");
        Browser b = Flows.browser(s);
        HttpResponse<String> identify = b.follow(b.get(auth.url()), Flows.publicOrigin(s));
        assertEquals(200, identify.statusCode(), identify.body());
        assertTrue(identify.body().contains("id=\"readout-link\""), "the sandbox page links to the card readout");
        return new Started(b, Browser.hiddenFields(identify.body()).get("flow"), auth, rp);
    }

    /** GET the readout page: its hidden fields (flow, csrf, challenge, empty card fields). */
    Map<String, String> readoutPage(Started st) {
        HttpResponse<String> page = st.browser().get(s.publicBase().resolve("/readout?flow=" + st.flow()));
        assertEquals(200, page.statusCode(), page.body());
        return Browser.hiddenFields(page.body());
    }

    /** The page's fields filled as the script would from card {@code id}, the challenge signed by the card. */
    Map<String, String> filled(Map<String, String> page, String cardId) throws Exception {
        SandboxCards.Card card = cards.find(cardId).orElseThrow();
        byte[] challenge = Base64.getUrlDecoder().decode(page.get("challenge"));
        Map<String, String> form = new HashMap<>(page);
        form.putAll(card.readout().withAuthSignature(card.signChallenge(challenge)).toFields());
        return form;
    }

    HttpResponse<String> post(Started st, Map<String, String> form) {
        return st.browser().post(s.publicBase().resolve("/readout"), form);
    }

    @Test
    void theReadoutPageRunsOnlyItsOwnScript() {
        Started st = start();
        HttpResponse<String> page = st.browser().get(s.publicBase().resolve("/readout?flow=" + st.flow()));
        assertEquals(200, page.statusCode());
        assertEquals("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none';"
                + " base-uri 'none'; form-action 'self'", page.headers().firstValue("Content-Security-Policy").orElse(""));
        assertTrue(page.body().contains("<form id=\"readout\" method=\"post\" action=\"/readout\""));
        assertTrue(page.body().contains("<script src=\"/static/readout.js\"></script>"));
        assertFalse(page.body().contains("<script>"), "no inline script");
        Map<String, String> hidden = Browser.hiddenFields(page.body());
        for (String f : new String[] {"flow", "csrf", "challenge", "id", "addr", "photo", "idsig", "addrsig", "rrncert", "authcert",
                "cacert", "rootcert", "authsig"}) {
            assertTrue(hidden.containsKey(f), f);
        }
        assertEquals(32, Base64.getUrlDecoder().decode(hidden.get("challenge")).length);
        HttpResponse<String> script = st.browser().get(s.publicBase().resolve("/static/readout.js"));
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript;charset=UTF-8", script.headers().firstValue("content-type").orElse(""));
        assertTrue(script.body().contains("getId("));
        // the WAR's static files are served alike on every server (StaticFiles), nothing beside them
        HttpResponse<String> css = st.browser().get(s.publicBase().resolve("/static/idsvc.css"));
        assertEquals(200, css.statusCode());
        assertEquals("text/css;charset=UTF-8", css.headers().firstValue("content-type").orElse(""));
        assertEquals(404, st.browser().get(s.publicBase().resolve("/static/WEB-INF/web.xml")).statusCode());
        assertEquals(404, st.browser().get(s.publicBase().resolve("/static/nothing.js")).statusCode());
    }

    @Test
    void aCorrectReadoutLeadsToConsentAndToTheCardsClaims() throws Exception {
        Started st = start();
        HttpResponse<String> r = post(st, filled(readoutPage(st), "chloe"));
        assertEquals(303, r.statusCode(), r.body());
        HttpResponse<String> consent = st.browser().follow(r, Flows.publicOrigin(s));
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains("Chloe Exemple"), consent.body());
        Map<String, String> form = Browser.hiddenFields(consent.body());
        form.put("decision", "approve");
        HttpResponse<String> callback = st.browser().post(s.publicBase().resolve("/consent"), form);
        assertEquals(303, callback.statusCode(), callback.body());
        Map<String, Object> t = RelyingParty.json(st.rp().token(Browser.query(callback).get("code"), st.auth().verifier()).body());
        Map<String, Object> u = RelyingParty.json(st.rp().userinfo((String) t.get("access_token")).body());
        assertEquals("Chloe Exemple", u.get("name"));
        assertEquals("2003-07-21", u.get("birthdate"));
        assertEquals("female", u.get("gender"));
        // this home trusts only the sandbox's demo roots: what it identifies is a test identity
        assertEquals("urn:be:idsvc:acr:sandbox-test", u.get("acr"));
    }

    @Test
    void aTamperedIdentityIsRefusedAndTheFlowStaysUsable() throws Exception {
        Started st = start();
        Map<String, String> form = filled(readoutPage(st), "alice");
        byte[] id = Base64.getDecoder().decode(form.get("id"));
        id[30] ^= 0x01;
        form.put("id", Base64.getEncoder().encodeToString(id));
        HttpResponse<String> refused = post(st, form);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("id=\"error\""));
        assertTrue(refused.body().contains("could not be verified as issued by the Belgian National Register"), refused.body());
        assertTrue(s.log().contains("IDENTITY_SIGNATURE_INVALID"), "the technical reason is logged");

        // no identity attached: consent sends the person back to identify
        HttpResponse<String> consent = st.browser().get(s.publicBase().resolve("/consent?flow=" + st.flow()));
        assertEquals(303, consent.statusCode());
        assertTrue(consent.headers().firstValue("Location").orElse("").contains("/identify?flow="));
        // the flow is still usable with a fresh challenge
        HttpResponse<String> ok = post(st, filled(readoutPage(st), "alice"));
        assertEquals(303, ok.statusCode(), ok.body());
        assertTrue(ok.headers().firstValue("Location").orElse("").contains("/consent?flow=" + st.flow()));
    }

    @Test
    void aChallengeOfAnEarlierFlowOrAUsedOneIsRefused() throws Exception {
        Started first = start();
        Map<String, String> firstForm = filled(readoutPage(first), "alice");
        assertEquals(303, post(first, firstForm).statusCode());

        Started second = start();
        Map<String, String> page = readoutPage(second);
        Map<String, String> replay = filled(page, "alice");
        // the first flow's challenge and signature, in the second flow's otherwise valid form
        replay.put("challenge", firstForm.get("challenge"));
        replay.put("authsig", firstForm.get("authsig"));
        HttpResponse<String> refused = post(second, replay);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("already been used or has expired"), refused.body());

        // the same post twice: the second finds its challenge used up
        Started third = start();
        Map<String, String> form = filled(readoutPage(third), "alice");
        assertEquals(303, post(third, form).statusCode());
        assertEquals(403, post(third, form).statusCode());
    }

    @Test
    void aMissingChallengeSignatureIsRefused() throws Exception {
        Started st = start();
        Map<String, String> form = filled(readoutPage(st), "bob");
        form.put("authsig", "");
        HttpResponse<String> refused = post(st, form);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("did not confirm your PIN"), refused.body());
    }

    @Test
    void garbageIsA400PageNeverA500() throws Exception {
        Started st = start();
        Map<String, String> page = readoutPage(st);
        Map<String, String> form = filled(page, "alice");
        form.put("idsig", "!!!not*base64!!!");
        HttpResponse<String> r = post(st, form);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("incomplete or damaged"), r.body());

        Map<String, String> huge = filled(page, "alice");
        huge.put("id", "A".repeat(200_000));
        assertEquals(400, post(st, huge).statusCode());
        Map<String, String> noChallenge = filled(page, "alice");
        noChallenge.remove("challenge");
        assertEquals(400, post(st, noChallenge).statusCode());
        HttpResponse<String> raw = st.browser().post(s.publicBase().resolve("/readout"), Map.of("flow", st.flow()));
        assertEquals(403, raw.statusCode(), "no CSRF token: refused before anything is read");
        // bad input changed no state: the page's challenge still works
        assertEquals(303, post(st, filled(page, "alice")).statusCode());
    }

    @Test
    void noExtensionExplainsHowToInstallIt() {
        Started st = start();
        Map<String, String> form = new HashMap<>(readoutPage(st));
        form.put("error", "no_extension");
        HttpResponse<String> r = post(st, form);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("BeIDConnect"), r.body());
        assertTrue(r.body().contains("id=\"retry\""));
        assertTrue(r.body().contains("href=\"/readout?flow=" + st.flow() + "&amp;lang=en\""), r.body());
    }

    @Test
    void eachReaderProblemHasItsOwnPageWithARetryWhereItHelpsAndAWayOut() throws Exception {
        Started st = start();
        Map<String, String> page = readoutPage(st);
        Map<String, String> titles = new HashMap<>();
        for (String code : new String[] {"no_extension", "no_reader", "no_card", "pin_cancelled", "pin_incorrect", "pin_blocked", "other"}) {
            Map<String, String> form = new HashMap<>(page);
            form.put("error", code);
            HttpResponse<String> r = post(st, form);
            assertEquals(200, r.statusCode(), code + ": " + r.body());
            assertTrue(r.body().contains("id=\"error\" data-problem=\"" + code + "\""), r.body());
            String title = r.body().substring(r.body().indexOf("<h1>") + 4, r.body().indexOf("</h1>"));
            assertFalse(titles.containsValue(title), code + " has a title of its own: " + title);
            titles.put(code, title);
            assertEquals(!code.equals("pin_blocked"), r.body().contains("id=\"retry\""), code + ": retry only where it can help");
            // the way out posts the cancel to /identify; the answer redirects to the client, so the CSP allows its origin
            assertTrue(r.body().contains("<form id=\"leave\" method=\"post\" action=\"/identify\">"), r.body());
            assertEquals("default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none';"
                    + " form-action 'self' http://127.0.0.1:8765", r.headers().firstValue("Content-Security-Policy").orElse(""));
        }
        assertEquals("Your card&#39;s PIN is blocked", titles.get("pin_blocked"));
        assertEquals("PIN not entered", titles.get("pin_cancelled"));
        Map<String, String> unknown = new HashMap<>(page);
        unknown.put("error", "the_reader_caught_fire");
        assertTrue(post(st, unknown).body().contains("data-problem=\"other\""), "an unknown code is the generic page");
        // reporting a problem used up nothing: the card read afterwards with the same page's challenge is accepted
        assertEquals(303, post(st, filled(page, "alice")).statusCode());
    }

    @Test
    void cancellingFromAProblemPageAnswersAccessDeniedWithState() {
        Started st = start();
        Map<String, String> form = new HashMap<>(readoutPage(st));
        form.put("error", "pin_blocked");
        HttpResponse<String> problem = post(st, form);
        Map<String, String> leave = Browser.hiddenFields(problem.body());
        leave.put("action", "cancel");
        HttpResponse<String> r = st.browser().post(s.publicBase().resolve("/identify"), leave);
        assertEquals(303, r.statusCode(), r.body());
        Map<String, String> q = Browser.query(r);
        assertEquals("access_denied", q.get("error"));
        assertEquals(st.auth().state(), q.get("state"));
    }

    /**
     * acr eid-pin and eid-nopin on the real server: a card of a test RRN CA that the home trusts as a
     * production-like anchor (not one of the sandbox's sandbox-*.pem roots) is identified like a real
     * card. With the PIN signature: eid-pin. Without: refused, unless the client's registration says
     * allow_identification_without_pin (other-client, for this test only): eid-nopin.
     */
    @Test
    void aCardUnderAProductionLikeAnchorEarnsEidPinAndWithoutPinEidNopinOnlyWhereTheClientAllowsIt() throws Exception {
        String rrnSubject = java.nio.file.Files.readAllLines(s.home().resolve("idsvc.properties")).stream()
                .filter(l -> l.startsWith("eid.rrn_subject=")).findFirst().orElseThrow().substring("eid.rrn_subject=".length());
        Authority root = VirtualCardIssuer.demoRoot("CN=IT Production-like eID Root, C=BE", KeyType.EC_P384);
        Authority rrn = VirtualCardIssuer.demoRrn(root, rrnSubject, KeyType.RSA_2048);
        Authority citizenCa = VirtualCardIssuer.demoCitizenCa(root, "CN=IT Production-like Citizen CA, C=BE", KeyType.EC_P384);
        IssuedCard card = new VirtualCardIssuer(rrn, citizenCa).issue(new VirtualPerson());
        java.nio.file.Path rootFile = s.home().resolve("trust/eid/rrn-ca/it-production-like-root.pem");
        java.nio.file.Path caFile = s.home().resolve("trust/eid/citizen-ca/it-production-like-citizen-ca.pem");
        java.nio.file.Path otherClient = s.home().resolve("clients/other-client.properties");
        String registration = java.nio.file.Files.readString(otherClient);
        try {
            java.nio.file.Files.writeString(rootFile, Pem.encode(root.certificate()));
            java.nio.file.Files.writeString(caFile, Pem.encode(citizenCa.certificate()));
            java.nio.file.Files.writeString(otherClient, registration + "\nallow_identification_without_pin=true\n");
            Thread.sleep(be.idsvc.config.WatchedDirectory.CHECK_INTERVAL_MILLIS + 500);

            Started withPin = start();
            Map<String, String> page = readoutPage(withPin);
            Map<String, String> signed = new HashMap<>(page);
            signed.putAll(card.readoutSigning(Base64.getUrlDecoder().decode(page.get("challenge"))).toFields());
            JwtClaims pin = idToken(withPin, post(withPin, signed));
            assertEquals("urn:be:idsvc:acr:eid-pin", pin.getClaimValue("acr"));
            assertEquals(java.util.List.of("sc", "pin"), pin.getClaimValue("amr"));

            Started refused = start();
            Map<String, String> unsigned = new HashMap<>(readoutPage(refused));
            unsigned.putAll(card.readout().toFields());
            HttpResponse<String> r = post(refused, unsigned);
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("did not confirm your PIN"), r.body());
            assertTrue(s.log().contains("CHALLENGE_SIGNATURE_MISSING"), "the technical reason is logged");

            Started allowed = start(Flows.otherClient(s));
            Map<String, String> noPin = new HashMap<>(readoutPage(allowed));
            noPin.putAll(card.readout().toFields());
            JwtClaims nopin = idToken(allowed, post(allowed, noPin));
            assertEquals("urn:be:idsvc:acr:eid-nopin", nopin.getClaimValue("acr"));
            assertEquals(java.util.List.of("sc"), nopin.getClaimValue("amr"));
        } finally {
            java.nio.file.Files.writeString(otherClient, registration);
            java.nio.file.Files.deleteIfExists(rootFile);
            java.nio.file.Files.deleteIfExists(caFile);
            Thread.sleep(be.idsvc.config.WatchedDirectory.CHECK_INTERVAL_MILLIS + 500);
        }
    }

    /** From the readout's answer through consent (approve) and the token endpoint to the verified ID token. */
    JwtClaims idToken(Started st, HttpResponse<String> readoutAnswer) throws Exception {
        assertEquals(303, readoutAnswer.statusCode(), readoutAnswer.body());
        HttpResponse<String> consent = st.browser().follow(readoutAnswer, Flows.publicOrigin(s));
        assertEquals(200, consent.statusCode(), consent.body());
        Map<String, String> form = Browser.hiddenFields(consent.body());
        form.put("decision", "approve");
        HttpResponse<String> callback = st.browser().post(s.publicBase().resolve("/consent"), form);
        assertEquals(303, callback.statusCode(), callback.body());
        HttpResponse<String> token = st.rp().token(Browser.query(callback).get("code"), st.auth().verifier());
        assertEquals(200, token.statusCode(), token.body());
        return st.rp().verifyIdToken((String) RelyingParty.json(token.body()).get("id_token"), st.auth().nonce());
    }
}
