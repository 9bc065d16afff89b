package be.idsvc.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The page frame every end-user page shares. Pages load only our own stylesheet, run no script
 * unless they say so, and post forms only to this host (plus, for the consent page, the client's
 * redirect origin, since browsers apply form-action to the redirect that follows a post).
 */
public final class Pages {
    private Pages() {}

    public static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");

    public static String frame(Messages m, String title, boolean testBanner, String body) {
        return frame(m.lang(), title, testBanner ? m.get("test.banner") : null, body);
    }

    public static String frame(String lang, String title, boolean testBanner, String body) {
        return frame(lang, title, testBanner ? Messages.of("en").get("test.banner") : null, body);
    }

    private static String frame(String lang, String title, String testBanner, String body) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<!DOCTYPE html>\n<html lang=\"").append(Html.esc(lang)).append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.esc(title)).append(testBanner != null ? " (TEST)" : "").append("</title>\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<link rel=\"stylesheet\" href=\"/static/idsvc.css\">\n</head>\n<body>\n");
        if (testBanner != null) {
            b.append("<div class=\"test-banner\" role=\"alert\" id=\"test-banner\">").append(Html.esc(testBanner)).append("</div>\n");
        }
        b.append("<main>\n<h1>").append(Html.esc(title)).append("</h1>\n").append(body).append("</main>\n</body>\n</html>\n");
        return b.toString();
    }

    /** CSP for a page that posts a form to this host and may be redirected to {@code redirectOrigin}. */
    public static String csp(String redirectOrigin) {
        return "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
                + (redirectOrigin == null ? "" : " " + redirectOrigin);
    }

    /** The CSP of the readout page: as {@link #csp}, plus this host's own scripts (no inline script). */
    public static String cspWithOwnScripts() {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none';"
                + " base-uri 'none'; form-action 'self'";
    }

    public static Response page(int status, String html, String csp) {
        return Response.status(status).type(HTML).header("Content-Security-Policy", csp)
                .header("Cache-Control", "no-store").entity(html).build();
    }

    /**
     * An error page in the person's language: {@code titleKey} and {@code textKey} name messages;
     * {@code args} fill the text's placeholders (a technical detail, which stays in English).
     */
    public static Response errorPage(int status, Messages m, String titleKey, String textKey, Object... args) {
        String body = "<p class=\"error\" id=\"error\">" + Html.esc(m.get(textKey, args)) + "</p>\n";
        return page(status, frame(m, m.get(titleKey), false, body), csp(null));
    }
}
