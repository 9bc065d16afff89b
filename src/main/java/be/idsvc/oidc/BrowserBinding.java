package be.idsvc.oidc;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import be.idsvc.core.Secrets;

/**
 * Binds a flow to the browser that started it. The browser holds a random secret in a host-only,
 * HttpOnly, SameSite=Lax cookie; page URLs carry only the flow's reference. Without the cookie a
 * reference opens nothing (the flow's sealed identity is keyed by both), and every form carries a
 * CSRF token derived from both, which a cross-site page cannot compute.
 */
public final class BrowserBinding {
    public static final String COOKIE = "__Host-idsvc-browser";
    private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private BrowserBinding() {}

    /** The cookie's secret if it looks like one we issued, else null. */
    public static String secretFrom(String cookieValue) {
        return cookieValue != null && HANDLE.matcher(cookieValue).matches() ? cookieValue : null;
    }

    public static boolean isWellFormedRef(String ref) {
        return ref != null && HANDLE.matcher(ref).matches();
    }

    public static String setCookieHeader(String secret) {
        return COOKIE + "=" + secret + "; Path=/; Secure; HttpOnly; SameSite=Lax";
    }

    public static String csrfToken(String browserSecret, String flowRef) {
        return Secrets.base64Url(Secrets.hmacSha256(browserSecret.getBytes(StandardCharsets.US_ASCII),
                ("csrf:" + flowRef).getBytes(StandardCharsets.US_ASCII)));
    }

    public static boolean csrfValid(String browserSecret, String flowRef, String token) {
        return browserSecret != null && flowRef != null && Secrets.constantTimeEquals(csrfToken(browserSecret, flowRef), token);
    }
}
