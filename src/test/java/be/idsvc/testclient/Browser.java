package be.idsvc.testclient;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

/**
 * A person's browser without the rendering: keeps cookies, follows nothing by itself, and submits
 * the service's forms the way the buttons would. Used by the integration tests; the real-browser
 * test drives Chromium.
 */
public final class Browser {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");
    private static final Pattern OPTION = Pattern.compile("<option value=\"([^\"]+)\">");
    private final HttpClient http;
    private final CookieManager cookies = new CookieManager();

    public Browser(SSLContext tls) {
        this.http = HttpClient.newBuilder().sslContext(tls).cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build());
    }

    /** GET as a browser set to prefer {@code acceptLanguage}. */
    public HttpResponse<String> get(URI uri, String acceptLanguage) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").header("Accept-Language", acceptLanguage).GET().build());
    }

    public HttpResponse<String> post(URI uri, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(RelyingParty.form(form))).build());
    }

    /** The value of a cookie this browser holds, for tests that post raw requests as this browser. */
    public java.util.Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).map(java.net.HttpCookie::getValue).findFirst();
    }

    /** Follows 303s on this service's hosts; stops at the first page or at a redirect elsewhere. */
    public HttpResponse<String> follow(HttpResponse<String> r, String serviceOrigin) {
        while (r.statusCode() == 303 || r.statusCode() == 302) {
            URI next = r.uri().resolve(r.headers().firstValue("Location").orElseThrow());
            if (!(next.getScheme() + "://" + next.getRawAuthority()).equals(serviceOrigin)) return r;
            r = get(next);
        }
        return r;
    }

    /** The hidden fields of the page's form (flow, csrf). */
    public static Map<String, String> hiddenFields(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) out.put(m.group(1), m.group(2).replace("&amp;", "&"));
        return out;
    }

    public static String firstOption(String html) {
        Matcher m = OPTION.matcher(html);
        if (!m.find()) throw new IllegalStateException("no option on the page");
        return m.group(1);
    }

    /** The query parameters of a redirect's Location. */
    public static Map<String, String> query(HttpResponse<String> redirect) {
        URI u = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        Map<String, String> out = new LinkedHashMap<>();
        if (u.getRawQuery() == null) return out;
        for (String pair : u.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
