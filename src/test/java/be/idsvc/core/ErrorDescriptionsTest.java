package be.idsvc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Issue 13 defect 6: error_description is a fixed text within RFC 6749's character set
 * (%x20-21 / %x23-5B / %x5D-7E) and never echoes what the caller sent.
 */
class ErrorDescriptionsTest {
    static final String CHARSET = "[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*";
    static final String EVIL = "evil\"\\<x>\u00e9\n";

    final AuthorizationRequestValidator validator = new AuthorizationRequestValidator(
            id -> id.equals("demo") ? Optional.of(AuthorizationRequestValidatorTest.CLIENT) : Optional.empty());

    private AuthorizationError refuse(Map<String, List<String>> p) {
        return assertThrows(AuthorizationError.class, () -> validator.validate(p));
    }

    private static void assertFixed(String expected, OAuthError e) {
        assertEquals(expected, e.description());
        assertTrue(e.description().matches(CHARSET), e.description());
        assertFalse(e.description().contains("evil"), e.description());
    }

    @Test
    void anUnknownScopeIsNotEchoed() {
        var p = AuthorizationRequestValidatorTest.valid();
        p.put("scope", List.of("openid " + EVIL));
        AuthorizationError e = refuse(p);
        assertEquals("invalid_scope", e.code());
        assertFixed("the scope names an unknown value", e);
    }

    @Test
    void aRepeatedOrOversizedUnknownParameterIsNotNamed() {
        var p = AuthorizationRequestValidatorTest.valid();
        p.put(EVIL, List.of("1", "2"));
        assertFixed("a parameter is repeated", refuse(p));
        p = AuthorizationRequestValidatorTest.valid();
        p.put(EVIL, List.of("x".repeat(AuthorizationRequestValidator.MAX_VALUE_LENGTH + 1)));
        assertFixed("a parameter is too long", refuse(p));

        Map<String, List<String>> form = new HashMap<>();
        form.put(EVIL, List.of("1", "2"));
        assertFixed("a parameter is repeated", assertThrows(OAuthError.class, () -> SingleValuedForm.of(form)));
        form.put(EVIL, List.of("x".repeat(SingleValuedForm.MAX_VALUE_LENGTH + 1)));
        assertFixed("a parameter is too long", assertThrows(OAuthError.class, () -> SingleValuedForm.of(form)));
    }

    @Test
    void aKnownParameterIsStillNamed() {
        var p = AuthorizationRequestValidatorTest.valid();
        p.put("nonce", List.of("1", "2"));
        assertEquals("nonce is repeated", refuse(p).description());
        Map<String, List<String>> form = new HashMap<>();
        form.put("code", List.of("1", "2"));
        assertEquals("code is repeated", assertThrows(OAuthError.class, () -> SingleValuedForm.of(form)).description());
    }

    @Test
    void theGuardRefusesADescriptionOutsideTheCharset() {
        for (String bad : List.of("say \"hi\"", "back\\slash", "caf\u00e9", "line\nfeed", "tab\there")) {
            OAuthError e = new OAuthError("invalid_request", bad, 400);
            assertEquals(ErrorDescriptions.REFUSED_DESCRIPTION, e.description(), bad);
            assertEquals("invalid_request", e.code());
        }
        assertEquals("code is missing", OAuthError.invalidRequest("code is missing").description());
        assertEquals(null, new OAuthError("invalid_request", null, 400).description());
    }

    @Test
    void everyTextOfTheTableIsWithinTheCharset() {
        for (String d : ErrorDescriptions.all()) assertTrue(d.matches(CHARSET), d);
    }
}
