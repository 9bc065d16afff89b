package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;
import be.idsvc.testclient.RelyingParty.Authorization;

/** The pages' language: ui_locales, then Accept-Language, switchable on the page; consent labels follow. */
@Tag(ServerUnderTest.EVERY_SERVER)
class LanguagesIT {
    final ServerUnderTest s = ServerUnderTest.get();

    @Test
    void uiLocalesChooseDutchUpToTheConsentLabels() {
        RelyingParty rp = Flows.demoClient(s);
        Authorization auth = rp.authorization("openid profile eid", Map.of("ui_locales", "nl-BE fr"));
        Browser b = Flows.browser(s);
        HttpResponse<String> identify = b.follow(b.get(auth.url()), Flows.publicOrigin(s));
        assertEquals(200, identify.statusCode(), identify.body());
        assertTrue(identify.body().contains("<html lang=\"nl\">"), identify.body());
        assertTrue(identify.body().contains("Virtuele testkaarten"));
        assertTrue(identify.body().contains("TESTOMGEVING"));
        Map<String, String> form = Browser.hiddenFields(identify.body());
        form.put("person", "alice");
        form.put("action", "identify");
        HttpResponse<String> consent = b.follow(b.post(s.publicBase().resolve("/identify"), form), Flows.publicOrigin(s));
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains("<html lang=\"nl\">"));
        assertTrue(consent.body().contains(">Geboortedatum</dt><dd>1985-03-14</dd>"), consent.body());
        assertTrue(consent.body().contains("</dt><dd>Vrouw</dd>"), "coded values read as words: " + consent.body());
        assertTrue(consent.body().contains("</dt><dd>Belgische identiteitskaart (eID)</dd>"), consent.body());
        assertTrue(consent.body().contains("Demo client zal ontvangen:"));
        assertTrue(consent.body().contains(">Delen en verdergaan</button>"));

        // switching on the page
        String flow = form.get("flow");
        HttpResponse<String> german = b.get(s.publicBase().resolve("/consent?flow=" + flow + "&lang=de"));
        assertTrue(german.body().contains("<html lang=\"de\">"));
        assertTrue(german.body().contains(">Geburtsdatum</dt>"));
    }

    @Test
    void acceptLanguageWhenTheClientSaysNothing() {
        Authorization auth = Flows.demoClient(s).authorization("openid");
        Browser b = Flows.browser(s);
        HttpResponse<String> r = b.get(auth.url(), "fr-BE,fr;q=0.9,en;q=0.5");
        String location = r.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> identify = b.get(r.uri().resolve(location), "fr-BE,fr;q=0.9,en;q=0.5");
        assertTrue(identify.body().contains("<html lang=\"fr\">"), identify.body());
        assertTrue(identify.body().contains("Cartes de test virtuelles"));
        HttpResponse<String> readout = b.get(s.publicBase().resolve("/readout?flow=" + Browser.hiddenFields(identify.body()).get("flow")),
                "fr-BE,fr;q=0.9,en;q=0.5");
        assertTrue(readout.body().contains("S&#39;identifier avec votre carte eID"), readout.body());
        assertTrue(readout.body().contains("href=\"/readout?flow="), "the language switcher");
    }

    @Test
    void errorPagesSpeakThePersonsLanguage() {
        Browser b = Flows.browser(s);
        // no flow at all: the browser's language, or the one picked on the page
        Map<String, String> expired = Map.of("en", "This sign-in is no longer valid", "nl", "Deze aanmelding is niet meer geldig",
                "fr", "Cette connexion n&#39;est plus valide", "de", "Diese Anmeldung ist nicht mehr gültig");
        for (Map.Entry<String, String> e : expired.entrySet()) {
            HttpResponse<String> r = b.get(s.publicBase().resolve("/consent?flow=no-such-flow"), e.getKey() + "-BE," + e.getKey() + ";q=0.9");
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("<html lang=\"" + e.getKey() + "\">"), r.body());
            assertTrue(r.body().contains("<h1>" + e.getValue() + "</h1>"), r.body());
        }
        // a sign-in request refused before any flow exists: its ui_locales, else the browser's language
        HttpResponse<String> badRequest = b.get(s.publicBase().resolve("/authorize?client_id=no-such-client&ui_locales=nl"), "de");
        assertEquals(400, badRequest.statusCode());
        assertTrue(badRequest.body().contains("<h1>Dit aanmeldverzoek is niet geldig</h1>"), badRequest.body());
        assertTrue(b.get(s.publicBase().resolve("/authorize?client_id=no-such-client"), "de").body()
                .contains("<h1>Diese Anmeldeanfrage ist nicht gültig</h1>"));
        HttpResponse<String> picked = b.get(s.publicBase().resolve("/readout?flow=no-such-flow&lang=de"), "fr");
        assertTrue(picked.body().contains("<h1>Diese Anmeldung ist nicht mehr gültig</h1>"), picked.body());

        // in a flow: the client's ui_locales first, also for a refused form and a reader problem
        Authorization auth = Flows.demoClient(s).authorization("openid", Map.of("ui_locales", "fr-BE"));
        HttpResponse<String> identify = b.follow(b.get(auth.url(), "de"), Flows.publicOrigin(s));
        Map<String, String> form = Browser.hiddenFields(identify.body());
        Map<String, String> forged = new java.util.HashMap<>(form);
        forged.put("csrf", "forged");
        forged.put("action", "identify");
        HttpResponse<String> csrf = b.post(s.publicBase().resolve("/identify"), forged);
        assertEquals(403, csrf.statusCode());
        assertTrue(csrf.body().contains("<html lang=\"fr\">"), csrf.body());
        assertTrue(csrf.body().contains("<h1>Demande refusée</h1>"), csrf.body());

        HttpResponse<String> readout = b.get(s.publicBase().resolve("/readout?flow=" + form.get("flow")));
        Map<String, String> fields = Browser.hiddenFields(readout.body());
        fields.put("error", "no_card");
        HttpResponse<String> noCard = b.post(s.publicBase().resolve("/readout"), fields);
        assertTrue(noCard.body().contains("<h1>Aucune carte dans le lecteur</h1>"), noCard.body());
        fields.put("lang", "nl");
        fields.put("error", "pin_blocked");
        assertTrue(b.post(s.publicBase().resolve("/readout"), fields).body().contains("<h1>De pincode van uw kaart is geblokkeerd</h1>"));
    }
}
