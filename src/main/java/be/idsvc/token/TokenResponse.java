package be.idsvc.token;

import java.util.LinkedHashMap;
import java.util.Map;

/** A successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
public record TokenResponse(String accessToken, long expiresIn, String idToken, String scope) {
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", accessToken);
        m.put("token_type", "Bearer");
        m.put("expires_in", expiresIn);
        m.put("id_token", idToken);
        m.put("scope", scope);
        return m;
    }
}
