package be.idsvc.core;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Validates the parameters of an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1,
 * RFC 7636). Client and redirect URI are checked first: until both are trusted, no error may
 * leave by redirect.
 */
public final class AuthorizationRequestValidator {
    /** Longest value any parameter may have; longer values are refused, not truncated. */
    public static final int MAX_VALUE_LENGTH = SingleValuedForm.MAX_VALUE_LENGTH;
    /**
     * state and nonce travel in the flow ticket and come back to the client verbatim (in the
     * redirect, in the ID token): bounded so a flow always fits its URL, and free of control
     * characters, which no client needs and some logs and parsers mishandle.
     */
    public static final int MAX_STATE_LENGTH = 1024;
    public static final int MAX_NONCE_LENGTH = 512;
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    private final Function<String, Optional<Client>> clients;

    public AuthorizationRequestValidator(Function<String, Optional<Client>> clients) {
        this.clients = clients;
    }

    public AuthorizationRequest validate(Map<String, List<String>> params) {
        String clientId = single(params, "client_id", null, null);
        if (clientId == null) throw AuthorizationError.shown("invalid_request", "client_id is missing");
        Client client = clients.apply(clientId).orElseThrow(
                () -> AuthorizationError.shown("invalid_client", "unknown client"));
        String redirectUri = single(params, "redirect_uri", null, null);
        if (redirectUri == null) throw AuthorizationError.shown("invalid_request", "redirect_uri is missing");
        if (!client.hasRedirectUri(redirectUri)) {
            throw AuthorizationError.shown("invalid_request", "redirect_uri is not registered for this client");
        }

        // From here on, errors go back to the client. state is read first so that it travels with them;
        // a duplicated or oversized state cannot be echoed, so it is dropped from that one answer.
        String state;
        try {
            state = single(params, "state", redirectUri, null);
        } catch (AuthorizationError e) {
            throw AuthorizationError.redirected(e.code(), e.description(), redirectUri, null);
        }
        if (state != null && state.length() > MAX_STATE_LENGTH) {
            throw redirect("invalid_request", "state is too long", redirectUri, null);
        }
        if (state != null && hasControlCharacter(state)) {
            throw redirect("invalid_request", "state contains control characters", redirectUri, null);
        }
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            single(params, e.getKey(), redirectUri, state);
        }
        if (params.containsKey("request")) {
            throw AuthorizationError.redirected("request_not_supported", "request objects are not supported", redirectUri, state);
        }
        if (params.containsKey("request_uri")) {
            throw AuthorizationError.redirected("request_uri_not_supported", "request_uri is not supported", redirectUri, state);
        }
        String responseType = single(params, "response_type", redirectUri, state);
        if (responseType == null) throw redirect("invalid_request", "response_type is missing", redirectUri, state);
        if (!responseType.equals("code")) {
            throw redirect("unsupported_response_type", "only response_type=code is supported", redirectUri, state);
        }
        String responseMode = single(params, "response_mode", redirectUri, state);
        if (responseMode != null && !responseMode.equals("query")) {
            throw redirect("invalid_request", "only response_mode=query is supported", redirectUri, state);
        }

        Set<Scope> scopes;
        try {
            scopes = Scopes.parse(single(params, "scope", redirectUri, state));
        } catch (IllegalArgumentException e) {
            throw redirect("invalid_scope", ErrorDescriptions.UNKNOWN_SCOPE, redirectUri, state);
        }
        if (!scopes.contains(Scope.OPENID)) throw redirect("invalid_scope", "scope must include openid", redirectUri, state);
        EnumSet<Scope> notAllowed = EnumSet.copyOf(scopes);
        notAllowed.removeAll(client.allowedScopes());
        if (!notAllowed.isEmpty()) {
            throw redirect("invalid_scope", "scope not allowed for this client: " + Scopes.format(notAllowed), redirectUri, state);
        }

        String challenge = single(params, "code_challenge", redirectUri, state);
        String method = single(params, "code_challenge_method", redirectUri, state);
        if (challenge == null) throw redirect("invalid_request", "code_challenge is required (PKCE, S256)", redirectUri, state);
        if (method == null || !method.equals("S256")) {
            throw redirect("invalid_request", "code_challenge_method must be S256", redirectUri, state);
        }
        if (!Pkce.isWellFormedChallenge(challenge)) {
            throw redirect("invalid_request", "code_challenge is not a S256 challenge", redirectUri, state);
        }

        Set<String> prompt = new java.util.HashSet<>();
        String promptValue = single(params, "prompt", redirectUri, state);
        if (promptValue != null) {
            for (String p : promptValue.trim().split(" +")) {
                if (!PROMPTS.contains(p)) throw redirect("invalid_request", "unknown prompt value", redirectUri, state);
                prompt.add(p);
            }
            if (prompt.contains("none") && prompt.size() > 1) {
                throw redirect("invalid_request", "prompt=none cannot be combined with other values", redirectUri, state);
            }
        }
        int maxAge = -1;
        String maxAgeValue = single(params, "max_age", redirectUri, state);
        if (maxAgeValue != null) {
            if (!maxAgeValue.matches("[0-9]{1,9}")) throw redirect("invalid_request", "max_age must be a non-negative integer", redirectUri, state);
            maxAge = Integer.parseInt(maxAgeValue);
        }
        List<String> locales = new ArrayList<>();
        String localesValue = single(params, "ui_locales", redirectUri, state);
        if (localesValue != null) {
            for (String l : localesValue.trim().split(" +")) {
                if (l.matches("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")) locales.add(l);
            }
        }
        String nonce = single(params, "nonce", redirectUri, state);
        if (nonce != null && nonce.length() > MAX_NONCE_LENGTH) throw redirect("invalid_request", "nonce is too long", redirectUri, state);
        if (nonce != null && hasControlCharacter(nonce)) {
            throw redirect("invalid_request", "nonce contains control characters", redirectUri, state);
        }
        // No identification can happen without showing a page, and no session outlives a flow.
        if (prompt.contains("none")) {
            throw redirect("login_required", "the person must identify with their card", redirectUri, state);
        }
        return new AuthorizationRequest(clientId, redirectUri, scopes, state, nonce, challenge, prompt, maxAge, locales);
    }

    /** C0, DEL and C1 controls (tab and line feed included). */
    static boolean hasControlCharacter(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) return true;
        }
        return false;
    }

    private static AuthorizationError redirect(String code, String description, String redirectUri, String state) {
        return AuthorizationError.redirected(code, description, redirectUri, state);
    }

    /**
     * The one value of a parameter, or null when absent. Repeated parameters are refused (RFC 6749
     * §3.1); empty values count as absent.
     */
    private static String single(Map<String, List<String>> params, String name, String redirectUri, String state) {
        return SingleValuedForm.one(name, params.get(name), description -> error("invalid_request", description, redirectUri, state));
    }

    private static AuthorizationError error(String code, String description, String redirectUri, String state) {
        return redirectUri == null ? AuthorizationError.shown(code, description)
                : AuthorizationError.redirected(code, description, redirectUri, state);
    }
}
