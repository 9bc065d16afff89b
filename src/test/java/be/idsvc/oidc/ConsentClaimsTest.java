package be.idsvc.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import be.idsvc.web.Messages;

class ConsentClaimsTest {
    @Test
    void codedValuesReadAsWordsInThePersonsLanguage() {
        assertEquals("<dt data-claim=\"gender\">" + Messages.of("nl").get("claim.gender") + "</dt><dd>Vrouw</dd>\n",
                ConsentClaims.row("gender", "female", Messages.of("nl")));
        assertEquals("Carte d'identité belge (eID)", ConsentClaims.readable("document_type", "1", Messages.of("fr")));
        assertEquals("Männlich", ConsentClaims.readable("gender", "male", Messages.of("de")));
        assertEquals("Kids-ID", ConsentClaims.readable("document_type", "6", Messages.of("en")));
    }

    @Test
    void valuesWithoutATranslationAreShownAsTheyAreAndEscaped() {
        assertEquals("12", ConsentClaims.readable("document_type", "12", Messages.of("en")));
        assertEquals("Leuven", ConsentClaims.readable("place_of_birth", "Leuven", Messages.of("en")));
        assertEquals("<dt data-claim=\"place_of_birth\">Place of birth</dt><dd>&lt;b&gt;</dd>\n",
                ConsentClaims.row("place_of_birth", "<b>", Messages.of("en")));
    }
}
