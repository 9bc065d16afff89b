package be.idsvc.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated authorization request: everything later steps need, nothing personal.
 *
 * @param maxAge seconds, or -1 when absent
 */
public record AuthorizationRequest(
        String clientId,
        String redirectUri,
        Set<Scope> scopes,
        String state,
        String nonce,
        String codeChallenge,
        Set<String> prompt,
        int maxAge,
        List<String> uiLocales) {

    public AuthorizationRequest {
        scopes = Set.copyOf(scopes);
        prompt = Set.copyOf(prompt);
        uiLocales = List.copyOf(uiLocales);
    }

    /** A flat map for storage (no personal data, so kept in the clear). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", clientId);
        m.put("redirect_uri", redirectUri);
        m.put("scope", Scopes.format(scopes));
        if (state != null) m.put("state", state);
        if (nonce != null) m.put("nonce", nonce);
        m.put("code_challenge", codeChallenge);
        m.put("prompt", String.join(" ", prompt));
        m.put("max_age", (long) maxAge);
        m.put("ui_locales", String.join(" ", uiLocales));
        return m;
    }

    public static AuthorizationRequest fromMap(Map<String, Object> m) {
        String prompt = (String) m.get("prompt");
        String locales = (String) m.get("ui_locales");
        return new AuthorizationRequest(
                (String) m.get("client_id"),
                (String) m.get("redirect_uri"),
                Scopes.parse((String) m.get("scope")),
                (String) m.get("state"),
                (String) m.get("nonce"),
                (String) m.get("code_challenge"),
                prompt == null || prompt.isEmpty() ? Set.of() : Set.of(prompt.split(" ")),
                ((Number) m.get("max_age")).intValue(),
                locales == null || locales.isEmpty() ? List.of() : List.of(locales.split(" ")));
    }
}
