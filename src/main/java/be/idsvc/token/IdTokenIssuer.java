package be.idsvc.token;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Logger;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import be.idsvc.config.ConfigurationException;
import be.idsvc.config.SigningKeys;
import be.idsvc.core.Client;
import be.idsvc.core.ErrorDescriptions;
import be.idsvc.core.Identity;
import be.idsvc.core.OAuthError;
import be.idsvc.core.Secrets;

/**
 * Signs ID tokens (OIDC Core §2) with the client's registered algorithm. Without a key that can
 * sign it, the answer is 503 {@code temporarily_unavailable}: the caller signs before it changes
 * anything, so the request can be retried as it is once the key is in place.
 */
public final class IdTokenIssuer {
    private static final Logger LOG = Logger.getLogger(IdTokenIssuer.class.getName());
    private final String issuer;
    private final SigningKeys keys;
    private final int ttlSeconds;

    public IdTokenIssuer(String issuer, SigningKeys keys, int ttlSeconds) {
        this.issuer = issuer;
        this.keys = keys;
        this.ttlSeconds = ttlSeconds;
    }

    public String issue(Client client, String subject, Identity identity, String nonce, String accessToken, long now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        claims.setAudience(client.clientId());
        claims.setClaim("azp", client.clientId());
        claims.setClaim("exp", now + ttlSeconds);
        claims.setClaim("iat", now);
        claims.setClaim("auth_time", identity.authTime());
        if (nonce != null) claims.setClaim("nonce", nonce);
        claims.setClaim("acr", identity.acr());
        claims.setStringListClaim("amr", identity.amr());
        claims.setClaim("at_hash", atHash(accessToken));

        String alg = client.idTokenAlg();
        PublicJsonWebKey key = signingKey(alg);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setKey(key.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            LOG.severe(() -> "cannot sign an ID token with key " + key.getKeyId() + " (" + alg + "): " + e.getMessage());
            throw OAuthError.temporarilyUnavailable(ErrorDescriptions.SIGNING_KEY_UNAVAILABLE);
        }
    }

    /** The key that signs {@code alg} now, checked to fit it; else 503 and a log line an admin can act on. */
    private PublicJsonWebKey signingKey(String alg) {
        PublicJsonWebKey key;
        try {
            key = keys.signingKey(alg);
        } catch (ConfigurationException e) {
            LOG.severe(() -> "cannot sign an ID token: " + e.getMessage());
            throw OAuthError.temporarilyUnavailable(ErrorDescriptions.SIGNING_KEY_UNAVAILABLE);
        }
        String unfit = SigningKeys.unfitFor(key, alg);
        if (unfit != null) {
            LOG.severe(() -> "cannot sign an ID token with key " + key.getKeyId() + " for " + alg + ": " + unfit);
            throw OAuthError.temporarilyUnavailable(ErrorDescriptions.SIGNING_KEY_UNAVAILABLE);
        }
        return key;
    }

    /** OIDC Core §3.1.3.6: left half of the SHA-256 of the access token (all our algs use SHA-256). */
    static String atHash(String accessToken) {
        byte[] h = Secrets.sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Secrets.base64Url(Arrays.copyOf(h, h.length / 2));
    }
}
