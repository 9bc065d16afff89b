package be.idsvc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AuthorizationRequestValidatorTest {
    static final String REDIRECT = "http://127.0.0.1:8765/callback";
    static final String CHALLENGE = Pkce.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    static final Client CLIENT = new Client("demo", "Demo", ClientAuthMethod.TLS_CLIENT_AUTH, "CN=demo", List.of(),
            List.of(REDIRECT), Set.of(Scope.OPENID, Scope.PROFILE), Set.of(), "ES256", "127.0.0.1", false);
    final AuthorizationRequestValidator validator = new AuthorizationRequestValidator(
            id -> id.equals("demo") ? Optional.of(CLIENT) : Optional.empty());

    static Map<String, List<String>> valid() {
        Map<String, List<String>> p = new HashMap<>();
        p.put("response_type", List.of("code"));
        p.put("client_id", List.of("demo"));
        p.put("redirect_uri", List.of(REDIRECT));
        p.put("scope", List.of("openid profile"));
        p.put("state", List.of("s1"));
        p.put("nonce", List.of("n1"));
        p.put("code_challenge", List.of(CHALLENGE));
        p.put("code_challenge_method", List.of("S256"));
        return p;
    }

    @Test
    void acceptsAValidRequest() {
        AuthorizationRequest r = validator.validate(valid());
        assertEquals("demo", r.clientId());
        assertEquals(Set.of(Scope.OPENID, Scope.PROFILE), r.scopes());
        assertEquals("s1", r.state());
        assertEquals("n1", r.nonce());
        assertEquals(-1, r.maxAge());
    }

    private AuthorizationError refuse(Map<String, List<String>> p) {
        return assertThrows(AuthorizationError.class, () -> validator.validate(p));
    }

    @Test
    void unknownClientIsShownNotRedirected() {
        var p = valid();
        p.put("client_id", List.of("nobody"));
        AuthorizationError e = refuse(p);
        assertEquals("invalid_client", e.code());
        assertNull(e.redirectUri());
    }

    @Test
    void unregisteredRedirectUriIsShownNotRedirected() {
        var p = valid();
        p.put("redirect_uri", List.of("http://127.0.0.1:8765/callback/other"));
        AuthorizationError e = refuse(p);
        assertEquals("invalid_request", e.code());
        assertNull(e.redirectUri());
    }

    @Test
    void repeatedClientIdIsShown() {
        var p = valid();
        p.put("client_id", List.of("demo", "demo"));
        AuthorizationError e = refuse(p);
        assertEquals("invalid_request", e.code());
        assertNull(e.redirectUri());
    }

    @Test
    void missingOpenidScopeIsRedirectedWithState() {
        var p = valid();
        p.put("scope", List.of("profile"));
        AuthorizationError e = refuse(p);
        assertEquals("invalid_scope", e.code());
        assertEquals(REDIRECT, e.redirectUri());
        assertEquals("s1", e.state());
    }

    @Test
    void scopeNotAllowedForClientIsRefused() {
        var p = valid();
        p.put("scope", List.of("openid national_number"));
        AuthorizationError e = refuse(p);
        assertEquals("invalid_scope", e.code());
        assertEquals("scope not allowed for this client: national_number", e.description());
    }

    @Test
    void unknownScopeIsRefused() {
        var p = valid();
        p.put("scope", List.of("openid email"));
        assertEquals("invalid_scope", refuse(p).code());
    }

    @Test
    void pkceIsRequiredAndOnlyS256() {
        var p = valid();
        p.remove("code_challenge");
        assertEquals("code_challenge is required (PKCE, S256)", refuse(p).description());
        p = valid();
        p.put("code_challenge_method", List.of("plain"));
        assertEquals("code_challenge_method must be S256", refuse(p).description());
        p = valid();
        p.put("code_challenge", List.of("short"));
        assertEquals("code_challenge is not a S256 challenge", refuse(p).description());
    }

    @Test
    void responseTypeOtherThanCodeIsUnsupported() {
        var p = valid();
        p.put("response_type", List.of("token"));
        assertEquals("unsupported_response_type", refuse(p).code());
    }

    @Test
    void promptNoneAnswersLoginRequired() {
        var p = valid();
        p.put("prompt", List.of("none"));
        AuthorizationError e = refuse(p);
        assertEquals("login_required", e.code());
        assertEquals("s1", e.state());
    }

    @Test
    void promptLoginAndConsentAreAccepted() {
        var p = valid();
        p.put("prompt", List.of("login consent"));
        assertEquals(Set.of("login", "consent"), validator.validate(p).prompt());
    }

    @Test
    void badMaxAgeAndUnknownPromptAreInvalidRequests() {
        var p = valid();
        p.put("max_age", List.of("-5"));
        assertEquals("invalid_request", refuse(p).code());
        p = valid();
        p.put("prompt", List.of("whatever"));
        assertEquals("invalid_request", refuse(p).code());
    }

    @Test
    void oversizedValueIsRefused() {
        var p = valid();
        p.put("nonce", List.of("x".repeat(AuthorizationRequestValidator.MAX_VALUE_LENGTH + 1)));
        AuthorizationError e = refuse(p);
        assertEquals("nonce is too long", e.description());
        assertEquals(REDIRECT, e.redirectUri());
    }

    @Test
    void oversizedStateIsNotEchoed() {
        var p = valid();
        p.put("state", List.of("x".repeat(AuthorizationRequestValidator.MAX_VALUE_LENGTH + 1)));
        AuthorizationError e = refuse(p);
        assertEquals("state is too long", e.description());
        assertNull(e.state());
    }

    @Test
    void requestObjectsAreNotSupported() {
        var p = valid();
        p.put("request", List.of("eyJ..."));
        assertEquals("request_not_supported", refuse(p).code());
    }

    @Test
    void stateAndNonceAreCappedAndFreeOfControlCharacters() {
        var p = valid();
        p.put("state", List.of("\u00e9".repeat(1024)));
        p.put("nonce", List.of("\u2028".repeat(512)));
        AuthorizationRequest atTheCaps = validator.validate(p);
        assertEquals(1024, atTheCaps.state().length());
        assertEquals(512, atTheCaps.nonce().length());

        p = valid();
        p.put("state", List.of("s".repeat(1025)));
        AuthorizationError longState = refuse(p);
        assertEquals("invalid_request", longState.code());
        assertEquals("state is too long", longState.description());
        assertEquals(REDIRECT, longState.redirectUri());
        assertNull(longState.state(), "a refused state is not echoed");

        p = valid();
        p.put("nonce", List.of("n".repeat(513)));
        AuthorizationError longNonce = refuse(p);
        assertEquals("invalid_request", longNonce.code());
        assertEquals("nonce is too long", longNonce.description());
        assertEquals("s1", longNonce.state());

        for (String odd : List.of("a\u0000b", "line\nfeed", "tab\t", "del\u007f", "c1\u0085")) {
            p = valid();
            p.put("state", List.of(odd));
            AuthorizationError e = refuse(p);
            assertEquals("state contains control characters", e.description());
            assertNull(e.state());
            p = valid();
            p.put("nonce", List.of(odd));
            e = refuse(p);
            assertEquals("nonce contains control characters", e.description());
            assertEquals("s1", e.state());
        }
    }
}
