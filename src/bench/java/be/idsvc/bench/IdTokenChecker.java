package be.idsvc.bench;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

/**
 * Verifies an ID token as a client must: signature against the service's JWKS (fetched once per
 * run over mTLS, as a client caches it), iss, aud, exp, iat, sub present, and the flow's nonce.
 */
final class IdTokenChecker {
    private final ThreadLocal<JwtConsumer> consumer;

    IdTokenChecker(String jwksJson, String issuer, String clientId, String expectedAlg) throws Exception {
        JsonWebKeySet jwks = new JsonWebKeySet(jwksJson);
        this.consumer = ThreadLocal.withInitial(() -> new JwtConsumerBuilder()
                .setRequireExpirationTime().setRequireIssuedAt().setRequireSubject()
                .setExpectedIssuer(issuer).setExpectedAudience(clientId)
                .setJwsAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, expectedAlg)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .build());
    }

    JwtClaims verify(String idToken, String nonce) throws FlowDriver.FlowFailed {
        JwtClaims claims;
        try {
            claims = consumer.get().processToClaims(idToken);
        } catch (Exception e) {
            throw new FlowDriver.FlowFailed("ID token not valid: " + e.getMessage());
        }
        if (!nonce.equals(claims.getClaimValue("nonce"))) throw new FlowDriver.FlowFailed("ID token nonce mismatch");
        return claims;
    }
}
