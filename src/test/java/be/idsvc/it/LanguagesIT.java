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
}
