package be.idsvc.oidc;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/**
 * Redirects back to a client's registered redirect URI (RFC 6749 §4.1.2), always with the issuer
 * (RFC 9207) so a client talking to several providers cannot be confused about who answered.
 */
public final class AuthorizationResponses {
    private AuthorizationResponses() {}

    public static Response success(String redirectUri, String code, String state, String issuer) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("code", code);
        if (state != null) p.put("state", state);
        p.put("iss", issuer);
        return redirect(redirectUri, p);
    }

    public static Response error(String redirectUri, String error, String description, String state, String issuer) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("error", error);
        if (description != null) p.put("error_description", description);
        if (state != null) p.put("state", state);
        p.put("iss", issuer);
        return redirect(redirectUri, p);
    }

    private static Response redirect(String redirectUri, Map<String, String> params) {
        StringBuilder b = new StringBuilder(redirectUri);
        char sep = redirectUri.indexOf('?') >= 0 ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return Response.seeOther(URI.create(b.toString())).header("Cache-Control", "no-store").build();
    }
}
