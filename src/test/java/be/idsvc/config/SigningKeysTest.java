package be.idsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The selection rules of docs/service-home.md, "Signing keys and rotation", on a fixed clock. */
class SigningKeysTest {
    static final long T = 1_800_000_000L;

    @TempDir
    Path dir;
    ServiceHome home;

    @BeforeEach
    void home() throws Exception {
        Files.writeString(dir.resolve("idsvc.properties"), "issuer=https://localhost:9443\n");
        Files.createDirectories(dir.resolve("keys/signing"));
        home = ServiceHome.at(dir);
    }

    PublicJsonWebKey key(String kid, boolean ec, Long signFrom, Long retireAfter) throws Exception {
        PublicJsonWebKey k = ec ? EcJwkGenerator.generateJwk(EllipticCurves.P256) : RsaJwkGenerator.generateJwk(2048);
        k.setKeyId(kid);
        k.setUse("sig");
        if (signFrom != null) k.setOtherParameter(SigningKeys.SIGN_FROM, signFrom);
        if (retireAfter != null) k.setOtherParameter(SigningKeys.RETIRE_AFTER, retireAfter);
        Files.writeString(dir.resolve("keys/signing/" + kid + ".jwk"), k.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        return k;
    }

    static SigningKeys at(ServiceHome home, long epochSeconds) {
        return SigningKeys.load(home, Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
    }

    static List<String> jwksKids(String json) throws Exception {
        List<String> kids = new ArrayList<>();
        for (JsonWebKey k : new JsonWebKeySet(json).getJsonWebKeys()) kids.add(k.getKeyId());
        return kids;
    }

    @Test
    void theLatestSignFromThatHasPassedSignsAndPendingKeysArePublishedAtOnce() throws Exception {
        key("a-old", true, null, T + 600 + 86400);
        key("b-new", true, T + 600, null);
        key("c-rsa", false, null, null);

        SigningKeys before = at(home, T);
        assertEquals("a-old", before.signingKey("ES256").getKeyId());
        assertEquals("c-rsa", before.signingKey("RS256").getKeyId());
        assertEquals("c-rsa", before.signingKey("PS256").getKeyId());
        assertEquals(List.of("a-old", "b-new", "c-rsa"), jwksKids(before.publicJwksJson()));

        assertEquals("a-old", at(home, T + 599).signingKey("ES256").getKeyId());
        assertEquals("b-new", at(home, T + 600).signingKey("ES256").getKeyId());

        // published until its retire_after has passed, then neither published nor used
        SigningKeys lastSecond = at(home, T + 600 + 86400);
        assertEquals(List.of("a-old", "b-new", "c-rsa"), jwksKids(lastSecond.publicJwksJson()));
        SigningKeys after = at(home, T + 600 + 86401);
        assertEquals(List.of("b-new", "c-rsa"), jwksKids(after.publicJwksJson()));
        assertEquals(List.of("b-new", "c-rsa"), List.copyOf(after.byKid().keySet()));
        assertEquals("b-new", after.signingKey("ES256").getKeyId());
    }

    @Test
    void explicitInstantsAnswerWithoutAClockAndTheJwksFollowsTheTime() throws Exception {
        key("a-old", true, null, T + 100);
        key("b-new", true, T + 50, null);
        SigningKeys keys = at(home, T);
        assertEquals("a-old", keys.signingKey("ES256", Instant.ofEpochSecond(T + 49)).getKeyId());
        assertEquals("b-new", keys.signingKey("ES256", Instant.ofEpochSecond(T + 50)).getKeyId());
        assertEquals(List.of("a-old", "b-new"), jwksKids(keys.publicJwksJson(Instant.ofEpochSecond(T + 100))));
        assertEquals(List.of("b-new"), jwksKids(keys.publicJwksJson(Instant.ofEpochSecond(T + 101))));
        // and back: the cache is keyed on the time window, not on the first answer
        assertEquals(List.of("a-old", "b-new"), jwksKids(keys.publicJwksJson(Instant.ofEpochSecond(T))));
        // cached while nothing changes
        assertSame(keys.publicJwksJson(Instant.ofEpochSecond(T + 1)), keys.publicJwksJson(Instant.ofEpochSecond(T + 2)));
    }

    @Test
    void withoutScheduleTheLastFileSignsAndAKeyNotYetSigningIsNoSigner() throws Exception {
        key("es256-1", true, null, null);
        key("es256-2", true, null, null);
        assertEquals("es256-2", at(home, T).signingKey("ES256").getKeyId());
        key("es256-3", true, T + 10, null);
        assertEquals("es256-2", at(home, T).signingKey("ES256").getKeyId());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> at(home, T).signingKey("RS256"));
        assertEquals("no signing key for RS256 in keys/signing", e.getMessage());
    }

    @Test
    void theJwksHoldsNoPrivateOrScheduleMembers() throws Exception {
        key("a", true, T - 5, T + 5);
        String json = at(home, T).publicJwksJson();
        assertEquals(false, json.contains("\"d\""), json);
        assertEquals(false, json.contains("idsvc_"), json);
    }

    @Test
    void aHomeWhoseOnlyEcKeyIsRetiredDoesNotLoad() throws Exception {
        key("a", true, null, T - 1);
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> at(home, T));
        assertEquals("no signing key for ES256 in keys/signing", e.getMessage());
    }

    @Test
    void aMalformedScheduleIsRefused() throws Exception {
        PublicJsonWebKey k = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        k.setKeyId("bad");
        k.setOtherParameter(SigningKeys.SIGN_FROM, "tomorrow");
        Path f = dir.resolve("keys/signing/bad.jwk");
        Files.writeString(f, k.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> at(home, T));
        // the file is left out (like any file that does not parse), and without it nothing signs
        assertEquals("no signing key for ES256 in keys/signing (left out: " + f + ": idsvc_sign_from must be a number of seconds"
                + " since the epoch)", e.getMessage());
    }

    @Test
    void reloadsWhenTheDirectoryChanges() throws Exception {
        key("a", true, null, null);
        TestClock clock = new TestClock();
        SigningKeys keys = SigningKeys.load(home, clock);
        assertEquals(List.of("a"), jwksKids(keys.publicJwksJson()));
        key("b", true, null, null);
        clock.passCheckInterval();
        assertEquals(List.of("a", "b"), jwksKids(keys.publicJwksJson()));
        assertEquals("b", keys.signingKey("ES256").getKeyId());
    }
}
