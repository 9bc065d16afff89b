package be.idsvc.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.jose4j.jwt.JwtClaims;

import be.idsvc.core.Pkce;
import be.idsvc.core.Secrets;
import be.idsvc.identify.SandboxCards;
import be.idsvc.json.Json;

/**
 * One virtual person and one client back end walking the complete flow, checking every answer as
 * a careful client would: authorize → readout page → readout post (the card's files and its
 * signature over the page's challenge, as BeIDConnect fills the form) → consent page → approve →
 * callback (state, iss) → token over mTLS (ID token signature, iss, aud, exp, nonce) → userinfo
 * over mTLS (sub equal to the ID token's). Any deviation throws {@link FlowFailed}.
 */
final class FlowDriver {
    static final String[] STEPS = {"authorize", "readout_page", "readout_post", "consent_page", "consent_post", "token", "userinfo"};
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\">");

    static final class FlowFailed extends Exception {
        FlowFailed(String message) { super(message); }
    }

    /** How the client back end connects to the mtls host. */
    enum Mode {
        KEEP_ALIVE("keep-alive"), NEW_CONNECTION_RESUMED("new-conn-resumed"), NEW_CONNECTION_FULL("new-conn-full");
        final String label;
        Mode(String label) { this.label = label; }
        static Mode of(String s) {
            for (Mode m : values()) if (m.label.equals(s)) return m;
            throw new IllegalArgumentException("unknown mode " + s + " (keep-alive, new-conn-resumed, new-conn-full)");
        }
    }

    /** What stays the same for every flow of a run. */
    record Setup(URI publicBase, URI mtlsBase, String issuer, String clientId, String redirectUri, String scope,
            SSLContext browserTls, TlsFactory clientTls, IdTokenChecker checker) {}

    /** Makes the client back end's SSL context; a fresh one per connection means no session to resume. */
    interface TlsFactory {
        SSLContext shared();
        SSLContext fresh();
    }

    private Setup setup;
    private final Mode mode;
    private Http1Connection mtls;

    FlowDriver(Setup setup, Mode mode) {
        this.setup = setup;
        this.mode = mode;
    }

    /** Runs one flow with {@code card}; {@code nanos[i]} receives the latency of step i. */
    void run(SandboxCards.Card card, long[] nanos) throws IOException, FlowFailed, be.idsvc.eid.ReadoutRejected {
        String verifier = Secrets.newHandle(), state = Secrets.newHandle(), nonce = Secrets.newHandle();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", setup.clientId());
        q.put("redirect_uri", setup.redirectUri());
        q.put("scope", setup.scope());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", Pkce.s256(verifier));
        q.put("code_challenge_method", "S256");
        Map<String, String> cookies = new HashMap<>();
        // each flow is another person: a new browser, so a new TLS connection to the public host
        try (Http1Connection browser = new Http1Connection(setup.publicBase().getHost(), setup.publicBase().getPort(), setup.browserTls())) {
            long t = System.nanoTime();
            Http1Connection.Response r = browser.get("/authorize?" + form(q), browserHeaders(cookies));
            nanos[0] = System.nanoTime() - t;
            expect(r, 303, "authorize");
            takeCookies(r, cookies);
            String flow = param(URI.create(r.header("location")), "flow");
            if (flow == null) throw new FlowFailed("authorize did not redirect to a flow page: " + r.header("location"));

            // production redirects /identify to /readout; the sandbox shows its card picker there instead,
            // so the generator goes to the readout page as a production browser ends up doing
            t = System.nanoTime();
            r = browser.get("/readout?flow=" + flow, browserHeaders(cookies));
            nanos[1] = System.nanoTime() - t;
            expect(r, 200, "readout page");
            Map<String, String> fields = hidden(r.body());
            String challenge = fields.get("challenge");
            if (challenge == null) throw new FlowFailed("readout page without a challenge");
            fields.putAll(card.readout().withAuthSignature(card.signChallenge(Base64.getUrlDecoder().decode(challenge))).toFields());

            t = System.nanoTime();
            r = browser.postForm("/readout", browserHeaders(cookies), form(fields));
            nanos[2] = System.nanoTime() - t;
            expect(r, 303, "readout post");
            URI consentUri = setup.publicBase().resolve(r.header("location"));
            if (!consentUri.getPath().equals("/consent")) throw new FlowFailed("readout post did not lead to consent: " + consentUri);

            t = System.nanoTime();
            r = browser.get(consentUri.getRawPath() + "?" + consentUri.getRawQuery(), browserHeaders(cookies));
            nanos[3] = System.nanoTime() - t;
            expect(r, 200, "consent page");
            Map<String, String> consent = hidden(r.body());
            consent.put("decision", "approve");

            t = System.nanoTime();
            r = browser.postForm("/consent", browserHeaders(cookies), form(consent));
            nanos[4] = System.nanoTime() - t;
            expect(r, 303, "consent post");
            URI callback = URI.create(r.header("location"));
            if (!callback.toString().startsWith(setup.redirectUri() + "?")) throw new FlowFailed("consent redirected elsewhere: " + callback);
            if (!state.equals(param(callback, "state"))) throw new FlowFailed("callback state mismatch");
            if (!setup.issuer().equals(param(callback, "iss"))) throw new FlowFailed("callback iss mismatch");
            String code = param(callback, "code");
            if (code == null) throw new FlowFailed("callback without code: " + param(callback, "error"));

            Map<String, String> tokenForm = new LinkedHashMap<>();
            tokenForm.put("grant_type", "authorization_code");
            tokenForm.put("code", code);
            tokenForm.put("redirect_uri", setup.redirectUri());
            tokenForm.put("code_verifier", verifier);
            tokenForm.put("client_id", setup.clientId());
            t = System.nanoTime();
            r = mtls().postForm("/token", Map.of("Accept", "application/json"), form(tokenForm));
            nanos[5] = System.nanoTime() - t;
            afterMtlsRequest();
            expect(r, 200, "token");
            Map<String, Object> tokens = json(r.body(), "token");
            String idToken = (String) tokens.get("id_token");
            String accessToken = (String) tokens.get("access_token");
            if (idToken == null || accessToken == null) throw new FlowFailed("token response without id_token or access_token");
            JwtClaims claims = setup.checker().verify(idToken, nonce);

            t = System.nanoTime();
            r = mtls().get("/userinfo", Map.of("Authorization", "Bearer " + accessToken, "Accept", "application/json"));
            nanos[6] = System.nanoTime() - t;
            afterMtlsRequest();
            expect(r, 200, "userinfo");
            Object sub = json(r.body(), "userinfo").get("sub");
            String idSub;
            try {
                idSub = claims.getSubject();
            } catch (Exception e) {
                throw new FlowFailed("ID token sub unreadable");
            }
            if (sub == null || !sub.equals(idSub)) throw new FlowFailed("userinfo sub differs from the ID token's sub");
        }
    }

    /** TLS handshakes this back end made to the mtls host so far. */
    int mtlsHandshakes() {
        return mtls == null ? 0 : mtls.handshakes;
    }

    private int closedHandshakes;

    int totalMtlsHandshakes() {
        return closedHandshakes + mtlsHandshakes();
    }

    private Http1Connection mtls() {
        if (mtls == null) {
            SSLContext ctx = mode == Mode.NEW_CONNECTION_FULL ? setup.clientTls().fresh() : setup.clientTls().shared();
            mtls = new Http1Connection(setup.mtlsBase().getHost(), setup.mtlsBase().getPort(), ctx);
        }
        return mtls;
    }

    private void afterMtlsRequest() {
        if (mode != Mode.KEEP_ALIVE && mtls != null) {
            closedHandshakes += mtls.handshakes;
            mtls.close();
            mtls = null;
        }
    }

    /** The same back end (and its mtls connection) for the next flow, whose person has a new browser. */
    FlowDriver with(Setup next) {
        this.setup = next;
        return this;
    }

    void close() {
        if (mtls != null) mtls.close();
    }

    private static Map<String, String> browserHeaders(Map<String, String> cookies) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "text/html");
        h.put("Accept-Language", "en");
        if (!cookies.isEmpty()) {
            StringBuilder b = new StringBuilder();
            cookies.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            h.put("Cookie", b.toString());
        }
        return h;
    }

    private static void takeCookies(Http1Connection.Response r, Map<String, String> cookies) {
        List<String> set = r.headers().get("set-cookie");
        if (set == null) return;
        for (String c : set) {
            String pair = c.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
    }

    private static void expect(Http1Connection.Response r, int status, String step) throws FlowFailed {
        if (r.status() != status) {
            String body = r.body().length() > 300 ? r.body().substring(0, 300) + "…" : r.body();
            throw new FlowFailed(step + " answered " + r.status() + " (expected " + status + "): " + body.replaceAll("\\s+", " "));
        }
    }

    private static Map<String, Object> json(String body, String step) throws FlowFailed {
        try {
            return Json.readObject(body);
        } catch (Exception e) {
            throw new FlowFailed(step + " answered no JSON");
        }
    }

    static Map<String, String> hidden(String html) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) out.put(m.group(1), m.group(2).replace("&amp;", "&"));
        return out;
    }

    static String param(URI u, String name) {
        if (u.getRawQuery() == null) return null;
        for (String pair : u.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
        return null;
    }

    static String form(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (b.length() > 0) b.append('&');
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
