package be.idsvc.token;

import java.util.List;
import java.util.Map;

import be.idsvc.core.OAuthError;

/** The parameters of a token request (RFC 6749 §4.1.3, RFC 7636 §4.5), each present at most once. */
public record TokenRequest(String grantType, String code, String redirectUri, String codeVerifier, String clientId) {
    private static final int MAX_VALUE_LENGTH = 2048;

    public static TokenRequest from(Map<String, List<String>> form) {
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getValue().size() > 1) throw OAuthError.invalidRequest(e.getKey() + " is repeated");
            if (!e.getValue().isEmpty() && e.getValue().get(0).length() > MAX_VALUE_LENGTH) {
                throw OAuthError.invalidRequest(e.getKey() + " is too long");
            }
        }
        return new TokenRequest(one(form, "grant_type"), one(form, "code"), one(form, "redirect_uri"),
                one(form, "code_verifier"), one(form, "client_id"));
    }

    private static String one(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }
}
