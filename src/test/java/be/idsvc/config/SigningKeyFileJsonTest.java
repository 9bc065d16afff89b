package be.idsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

/** Issue 21: a signing key file is JSON an admin edits; the service's mapper reads it (limits, duplicates), jose4j interprets it. */
class SigningKeyFileJsonTest {
    private static final Path FILE = Path.of("keys/signing/k.jwk");

    private static String privateJwk() throws Exception {
        PublicJsonWebKey k = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        k.setKeyId("k1");
        k.setOtherParameter("sign_from", 1_700_000_000L);
        return k.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    @Test
    void aKeyFileStillReads() throws Exception {
        SigningKeys.Entry e = SigningKeys.parse(FILE, privateJwk().getBytes(StandardCharsets.UTF_8));
        assertEquals("k1", e.key().getKeyId());
    }

    @Test
    void aDuplicateMemberOrAHostileShapeIsRefused() throws Exception {
        String jwk = privateJwk();
        for (String bad : new String[] {
                jwk.replaceFirst("\\{", "{\"kid\":\"other\","),
                jwk.replaceFirst("\\{", "{\"x\":" + "[".repeat(100) + "]".repeat(100) + ","),
                jwk.replaceFirst("\\{", "{\"x\":\"" + "a".repeat(200_000) + "\","),
                jwk + "{}"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> SigningKeys.parse(FILE, bad.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().startsWith(FILE + ": not a JWK (not valid JSON here: "), e.getMessage());
        }
    }
}
