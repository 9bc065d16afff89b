package be.idsvc.testclient;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

import be.idsvc.core.Pkce;
import be.idsvc.core.Secrets;
import be.idsvc.json.Json;

/**
 * A client application's back end, as the tests and the demo client use it: discovery, token and
 * userinfo over mutual TLS with its own certificate, and ID token verification as a careful client
 * does it (signature against the JWKS, iss, aud, exp, nonce).
 */
public final class RelyingParty {
    private final String clientId;
    private final String redirectUri;
    private final URI mtlsBase;
    private final HttpClient http;
    private Map<String, Object> metadata;

    public RelyingParty(String clientId, String redirectUri, URI mtlsBase, SSLContext mtls) {
        this.clientId = clientId;
        this.redirectUri = redirectUri;
        this.mtlsBase = mtlsBase;
        this.http = HttpClient.newBuilder().sslContext(mtls).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public String clientId() {
        return clientId;
    }

    public String redirectUri() {
        return redirectUri;
    }

    public HttpClient http() {
        return http;
    }

    public Map<String, Object> discovery() {
        if (metadata == null) {
            HttpResponse<String> r = get(mtlsBase.resolve("/.well-known/openid-configuration"), Map.of());
            if (r.statusCode() != 200) throw new IllegalStateException("discovery answered " + r.statusCode() + ": " + r.body());
            metadata = json(r.body());
        }
        return metadata;
    }

    /** A fresh authorization request: its URL and the secrets the client keeps for the callback. */
    public Authorization authorization(String scope) {
        return authorization(scope, Map.of());
    }

    public Authorization authorization(String scope, Map<String, String> extra) {
        String verifier = Secrets.newHandle();
        String state = Secrets.newHandle();
        String nonce = Secrets.newHandle();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", redirectUri);
        p.put("scope", scope);
        p.put("state", state);
        p.put("nonce", nonce);
        p.put("code_challenge", Pkce.s256(verifier));
        p.put("code_challenge_method", "S256");
        p.putAll(extra);
        p.values().removeIf(v -> v == null);
        String url = discovery().get("authorization_endpoint") + "?" + form(p);
        return new Authorization(URI.create(url), state, nonce, verifier);
    }

    public HttpResponse<String> token(String code, String verifier) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", "authorization_code");
        p.put("code", code);
        p.put("redirect_uri", redirectUri);
        p.put("code_verifier", verifier);
        p.put("client_id", clientId);
        return postForm(URI.create((String) discovery().get("token_endpoint")), p);
    }

    public HttpResponse<String> postForm(URI uri, Map<String, String> form) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
    }

    public HttpResponse<String> userinfo(String accessToken) {
        return get(URI.create((String) discovery().get("userinfo_endpoint")), Map.of("Authorization", "Bearer " + accessToken));
    }

    public HttpResponse<String> get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        headers.forEach(b::header);
        return send(b.build());
    }

    /** Verifies the ID token as a client must, and returns its claims. */
    public JwtClaims verifyIdToken(String idToken, String nonce) {
        try {
            HttpResponse<String> jwks = get(URI.create((String) discovery().get("jwks_uri")), Map.of());
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setRequireExpirationTime().setRequireIssuedAt().setRequireSubject()
                    .setExpectedIssuer((String) discovery().get("issuer"))
                    .setExpectedAudience(clientId)
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks.body()).getJsonWebKeys()))
                    .build();
            JwtClaims claims = consumer.processToClaims(idToken);
            if (!nonce.equals(claims.getStringClaimValue("nonce"))) throw new IllegalStateException("nonce mismatch");
            return claims;
        } catch (Exception e) {
            throw new IllegalStateException("ID token not valid: " + e.getMessage(), e);
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> json(String body) {
        try {
            return Json.readObject(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    public static String form(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (b.length() > 0) b.append('&');
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** What a client keeps between sending the person away and receiving the callback. */
    public record Authorization(URI url, String state, String nonce, String verifier) {}
}
