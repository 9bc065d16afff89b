package be.idsvc.oidc;

import java.util.List;
import java.util.Map;

import be.idsvc.core.OAuthError;

/** The form of a revocation (RFC 7009) or introspection (RFC 7662) request: each parameter at most once. */
record ClientTokenRequest(String token, String clientId) {
    private static final int MAX_TOKEN_LENGTH = 2048;

    static ClientTokenRequest from(Map<String, List<String>> form) {
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            if (e.getValue().size() > 1) throw OAuthError.invalidRequest(e.getKey() + " is repeated");
        }
        String token = one(form, "token");
        if (token != null && token.length() > MAX_TOKEN_LENGTH) throw OAuthError.invalidRequest("token is too long");
        return new ClientTokenRequest(token, one(form, "client_id"));
    }

    private static String one(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }
}
