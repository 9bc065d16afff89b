package be.idsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

/** Issue 13 defect 9: a key is checked to fit the ID token algorithm before anything is redeemed. */
class SigningKeyFitTest {
    @Test
    void aKeyFitsOnlyTheAlgorithmsItCanSignAndNamesNoOther() throws Exception {
        PublicJsonWebKey p256 = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        PublicJsonWebKey p384 = EcJwkGenerator.generateJwk(EllipticCurves.P384);
        PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
        PublicJsonWebKey small = RsaJwkGenerator.generateJwk(1024);

        assertNull(SigningKeys.unfitFor(p256, "ES256"));
        assertNull(SigningKeys.unfitFor(rsa, "RS256"));
        assertNull(SigningKeys.unfitFor(rsa, "PS256"));
        assertEquals("ES256 needs an EC P-256 key", SigningKeys.unfitFor(p384, "ES256"));
        assertEquals("ES256 needs an EC P-256 key", SigningKeys.unfitFor(rsa, "ES256"));
        assertEquals("RS256 needs an RSA key", SigningKeys.unfitFor(p256, "RS256"));
        assertEquals("PS256 needs an RSA key of at least 2048 bits", SigningKeys.unfitFor(small, "PS256"));

        rsa.setAlgorithm("RS256");
        assertNull(SigningKeys.unfitFor(rsa, "RS256"));
        assertEquals("the key is for RS256", SigningKeys.unfitFor(rsa, "PS256"));
    }
}
