package be.idsvc.identify;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import be.idsvc.core.Secrets;

/**
 * Binds a flow to the browser that started it. The browser holds a random secret in a host-only,
 * HttpOnly, SameSite=Lax cookie; page URLs carry the flow's ticket, sealed with a key derived from
 * that secret. Without the cookie a ticket opens nothing (nor does the flow's sealed identity), and
 * every form carries a CSRF token derived from the secret and the flow id, which a cross-site page
 * cannot compute.
 */
public final class BrowserBinding {
    public static final String COOKIE = "__Host-idsvc-browser";
    private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private BrowserBinding() {}

    /** The cookie's secret if it looks like one we issued, else null. */
    public static String secretFrom(String cookieValue) {
        return cookieValue != null && HANDLE.matcher(cookieValue).matches() ? cookieValue : null;
    }

    public static String setCookieHeader(String secret) {
        return COOKIE + "=" + secret + "; Path=/; Secure; HttpOnly; SameSite=Lax";
    }

    public static String csrfToken(String browserSecret, String flowId) {
        return Secrets.base64Url(Secrets.hmacSha256(browserSecret.getBytes(StandardCharsets.US_ASCII),
                ("csrf:" + flowId).getBytes(StandardCharsets.US_ASCII)));
    }

    public static boolean csrfValid(String browserSecret, String flowId, String token) {
        return browserSecret != null && flowId != null && Secrets.constantTimeEquals(csrfToken(browserSecret, flowId), token);
    }
}
