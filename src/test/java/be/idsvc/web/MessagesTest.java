package be.idsvc.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void pickedThenUiLocalesThenAcceptLanguageThenEnglish() {
        assertEquals("de", Messages.choose("de", List.of("nl"), "fr").lang());
        assertEquals("nl", Messages.choose(null, List.of("es", "nl-BE"), "fr").lang());
        assertEquals("fr", Messages.choose(null, List.of("es"), "es;q=1, fr-BE;q=0.8, nl;q=0.5").lang());
        assertEquals("en", Messages.choose("xx", List.of(), "es").lang());
        assertEquals("en", Messages.choose(null, null, "not a ;;; header =").lang());
        assertEquals("en", Messages.choose(null, null, null).lang());
    }

    @Test
    void everyLanguageHasEveryKeyAndFormatsApostrophes() {
        ResourceBundle en = ResourceBundle.getBundle("be.idsvc.web.messages", Locale.ROOT);
        for (String lang : Messages.SUPPORTED) {
            Messages m = Messages.of(lang);
            ResourceBundle b = ResourceBundle.getBundle("be.idsvc.web.messages", Locale.forLanguageTag(lang),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            for (String key : en.keySet()) {
                assertTrue(b.keySet().contains(key), lang + " lacks " + key);
                assertFalse(m.get(key).contains("''"), lang + " " + key);
            }
        }
        assertEquals("Les identités lues sur une carte de test ne sont pas réelles.", Messages.of("fr").get("test.banner").split(" : ")[1].split("\\. ")[1]);
        assertEquals("Demo client zal ontvangen:", Messages.of("nl").get("consent.intro", "Demo client"));
        assertEquals("Geboortedatum", Messages.of("nl").get("claim.birthdate"));
    }

    @Test
    void theSwitcherLinksTheOtherLanguages() {
        String nav = Messages.of("nl").switcher("/identify?flow=abc");
        assertTrue(nav.contains("<strong lang=\"nl\">Nederlands</strong>"));
        assertTrue(nav.contains("href=\"/identify?flow=abc&amp;lang=fr\">Français</a>"));
        assertTrue(nav.contains("href=\"/identify?flow=abc&amp;lang=de\">Deutsch</a>"));
        assertTrue(nav.contains("href=\"/identify?flow=abc&amp;lang=en\">English</a>"));
    }
}
