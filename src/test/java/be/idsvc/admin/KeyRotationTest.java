package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

import be.idsvc.config.ServiceHome;
import be.idsvc.config.SigningKeys;

class KeyRotationTest extends CliTestSupport {
    List<String> kids() throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(home.resolve("keys/signing"))) {
            for (Path p : s.sorted().toList()) out.add(AdminHome.stem(p));
        }
        return out;
    }

    PublicJsonWebKey key(String kid) throws Exception {
        return PublicJsonWebKey.Factory.newPublicJwk(read("keys/signing/" + kid + ".jwk"));
    }

    SigningKeys keysAt(Instant t) {
        return SigningKeys.load(ServiceHome.at(home), Clock.fixed(t, ZoneOffset.UTC));
    }

    static List<String> jwksKids(String json) throws Exception {
        List<String> kids = new ArrayList<>();
        for (JsonWebKey k : new JsonWebKeySet(json).getJsonWebKeys()) kids.add(k.getKeyId());
        return kids;
    }

    @Test
    void rotatesTheEcKeyPublishingItFirstThenSigningThenRetiringTheOldOne() throws Exception {
        List<String> before = kids();
        String oldEc = before.stream().filter(k -> k.startsWith("es256-")).findFirst().orElseThrow();
        String rsa = before.stream().filter(k -> k.startsWith("rs256-")).findFirst().orElseThrow();
        String rsaFile = read("keys/signing/" + rsa + ".jwk");

        Result r = idsvc("keys", "rotate");
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        List<String> after = kids();
        after.removeAll(before);
        assertEquals(1, after.size());
        String newEc = after.get(0);
        assertTrue(newEc.matches("es256-\\d{8}-[0-9a-f]{8}"), newEc);
        long signFrom = now.getEpochSecond() + 600;
        long retireAfter = signFrom + 86400;
        assertEquals("new EC P-256 key " + newEc + ": published now, signs from " + Instant.ofEpochSecond(signFrom) + "\n"
                + "key " + oldEc + ": signs until " + Instant.ofEpochSecond(signFrom) + ", retired after "
                + Instant.ofEpochSecond(retireAfter) + "\n", r.out());

        PublicJsonWebKey k = key(newEc);
        assertTrue(k instanceof EllipticCurveJsonWebKey);
        assertEquals("P-256", ((EllipticCurveJsonWebKey) k).getCurveName());
        assertEquals("ES256", k.getAlgorithm());
        assertEquals("sig", k.getUse());
        assertNotNull(k.getPrivateKey());
        assertEquals(signFrom, ((Number) k.getOtherParameterValue(SigningKeys.SIGN_FROM, Object.class)).longValue());
        assertEquals(Set.of(PosixFilePermissions.fromString("rw-------")),
                Set.of(Files.getPosixFilePermissions(home.resolve("keys/signing/" + newEc + ".jwk"))));
        PublicJsonWebKey old = key(oldEc);
        assertEquals(retireAfter, ((Number) old.getOtherParameterValue(SigningKeys.RETIRE_AFTER, Object.class)).longValue());
        assertNull(old.getOtherParameterValue(SigningKeys.SIGN_FROM, Object.class));
        assertEquals(Set.of(PosixFilePermissions.fromString("rw-------")),
                Set.of(Files.getPosixFilePermissions(home.resolve("keys/signing/" + oldEc + ".jwk"))));
        assertEquals(rsaFile, read("keys/signing/" + rsa + ".jwk"));

        List<String> audit = auditLines();
        assertEquals(List.of(
                audit("keys rotate kid=" + newEc + " alg=ES256 jkt=" + KeyCommands.jkt(k) + " sign_from=" + signFrom),
                audit("keys retire kid=" + oldEc + " jkt=" + KeyCommands.jkt(old) + " retire_after=" + retireAfter)),
                audit.subList(audit.size() - 2, audit.size()));
        assertFalse(read("audit.log").contains("\"d\""));

        // in the JWKS at once, the old key keeps signing until sign_from
        SigningKeys atOnce = keysAt(now);
        assertEquals(List.of(oldEc, newEc, rsa).stream().sorted().toList(), jwksKids(atOnce.publicJwksJson()).stream().sorted().toList());
        assertEquals(oldEc, atOnce.signingKey("ES256").getKeyId());
        assertEquals(oldEc, keysAt(Instant.ofEpochSecond(signFrom - 1)).signingKey("ES256").getKeyId());
        assertEquals(newEc, keysAt(Instant.ofEpochSecond(signFrom)).signingKey("ES256").getKeyId());
        assertEquals(rsa, keysAt(Instant.ofEpochSecond(signFrom)).signingKey("RS256").getKeyId());
        // still published while tokens it signed may live, gone after retire_after
        assertTrue(jwksKids(keysAt(Instant.ofEpochSecond(retireAfter)).publicJwksJson()).contains(oldEc));
        assertEquals(List.of(newEc, rsa).stream().sorted().toList(),
                jwksKids(keysAt(Instant.ofEpochSecond(retireAfter + 1)).publicJwksJson()).stream().sorted().toList());

        // the next rotation (RSA) deletes the retired EC key file
        Instant later = Instant.ofEpochSecond(retireAfter + 1);
        Result r2 = idsvcAt(later, "keys", "rotate", "--alg", "RS256", "--publish-for", "60");
        assertEquals(0, r2.exit(), r2.err());
        List<String> now2 = kids();
        assertFalse(now2.contains(oldEc));
        String newRsa = now2.stream().filter(x -> x.startsWith("rsa-")).findFirst().orElseThrow();
        PublicJsonWebKey nr = key(newRsa);
        assertEquals("RSA", nr.getKeyType());
        assertEquals(2048, ((java.security.interfaces.RSAPublicKey) nr.getPublicKey()).getModulus().bitLength());
        assertNull(nr.getAlgorithm());
        long rsaSignFrom = later.getEpochSecond() + 60;
        assertEquals("new RSA-2048 key " + newRsa + ": published now, signs from " + Instant.ofEpochSecond(rsaSignFrom) + "\n"
                + "key " + rsa + ": signs until " + Instant.ofEpochSecond(rsaSignFrom) + ", retired after "
                + Instant.ofEpochSecond(rsaSignFrom + 86400) + "\n"
                + "deleted key " + oldEc + " (retired after " + Instant.ofEpochSecond(retireAfter) + ")\n", r2.out());
        List<String> audit2 = auditLines();
        assertEquals(later + " user=" + USER + " keys delete kid=" + oldEc + " jkt=" + KeyCommands.jkt(old) + " retired_after=" + retireAfter,
                audit2.get(audit2.size() - 1));
        assertEquals(newEc, keysAt(later).signingKey("ES256").getKeyId());
        assertEquals(rsa, keysAt(later).signingKey("PS256").getKeyId());
        assertEquals(newRsa, keysAt(Instant.ofEpochSecond(rsaSignFrom)).signingKey("PS256").getKeyId());
    }

    @Test
    void aSecondRotationBeforeTheFirstSignsRetiresBoth() throws Exception {
        String oldEc = kids().stream().filter(k -> k.startsWith("es256-")).findFirst().orElseThrow();
        assertEquals(0, idsvc("keys", "rotate").exit());
        Instant t2 = now.plusSeconds(100);
        assertEquals(0, idsvcAt(t2, "keys", "rotate", "--publish-for", "3600").exit());
        long second = t2.getEpochSecond() + 3600;
        // the first one keeps its earlier retirement; the pending one is retired after the newest starts signing
        assertEquals(now.getEpochSecond() + 600 + 86400,
                ((Number) key(oldEc).getOtherParameterValue(SigningKeys.RETIRE_AFTER, Object.class)).longValue());
        List<String> ec = kids().stream().filter(k -> k.startsWith("es256-") && !k.equals(oldEc)).toList();
        assertEquals(2, ec.size());
        String newest = ec.stream().filter(k -> {
            try {
                return ((Number) key(k).getOtherParameterValue(SigningKeys.SIGN_FROM, Object.class)).longValue() == second;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        String middle = ec.stream().filter(k -> !k.equals(newest)).findFirst().orElseThrow();
        assertEquals(second + 86400, ((Number) key(middle).getOtherParameterValue(SigningKeys.RETIRE_AFTER, Object.class)).longValue());
        assertEquals(oldEc, keysAt(t2).signingKey("ES256").getKeyId());
        assertEquals(middle, keysAt(now.plusSeconds(600)).signingKey("ES256").getKeyId());
        assertEquals(newest, keysAt(Instant.ofEpochSecond(second)).signingKey("ES256").getKeyId());
    }

    @Test
    void refusesBadOptionsAndChangesNothing() {
        assertRefused(2, "idsvc: keys rotate: --alg must be ES256, RS256 or PS256\nusage: see idsvc help", "keys", "rotate", "--alg", "HS256");
        assertRefused(2, "idsvc: keys rotate: --publish-for must be a whole number from 0 to 2592000\nusage: see idsvc help",
                "keys", "rotate", "--publish-for", "-1");
        assertRefused(2, "idsvc: keys rotate: --publish-for must be a whole number from 0 to 2592000\nusage: see idsvc help",
                "keys", "rotate", "--publish-for", "soon");
        assertRefused(2, "idsvc: unknown command: keys delete\nusage: see idsvc help", "keys", "delete");
    }

    @Test
    void aBrokenKeyFileStopsTheRotation() throws Exception {
        Path bad = home.resolve("keys/signing/zz.jwk");
        Files.writeString(bad, "{\"kty\":\"oct\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"kid\":\"zz\"}");
        assertRefused(1, "idsvc keys rotate: the service home does not parse, so idsvc makes no change but a removal until it is"
                + " fixed (see: idsvc check): keys/signing/zz.jwk: does not parse (not a private EC or RSA signing key with a kid);"
                + " this key is not used until the file is fixed or removed", "keys", "rotate");
    }
}
