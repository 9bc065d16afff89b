package be.idsvc.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import be.idsvc.json.Json;

/**
 * The ID token signing keys of keys/signing/*.jwk (docs/service-home.md, "Signing keys and
 * rotation"), re-read when the directory changes.
 *
 * <ul>
 * <li>A key is published in the JWKS unless its {@code idsvc_retire_after} (epoch seconds) has
 * passed; a key whose {@code idsvc_sign_from} lies ahead is published but does not sign yet.</li>
 * <li>Of the keys of one type (EC, RSA) that are not retired and whose {@code idsvc_sign_from} has
 * passed or is absent (counted as the epoch), the one with the latest {@code idsvc_sign_from}
 * signs; on a tie, the last by file name.</li>
 * </ul>
 *
 * Every question is answered against the clock's current time. {@link #publicJwksJson()} is on the
 * hot path: the JSON is cached until the keys change or the next sign_from/retire_after instant.
 */
public final class SigningKeys {
    public static final String SIGN_FROM = "idsvc_sign_from";
    public static final String RETIRE_AFTER = "idsvc_retire_after";

    /** One key file: the key and its schedule (epoch seconds; Long.MIN/MAX_VALUE when absent). */
    public record Entry(Path file, PublicJsonWebKey key, long signFrom, long retireAfter) {
        public boolean isEc() {
            return key instanceof EllipticCurveJsonWebKey;
        }

        public boolean published(long now) {
            return now <= retireAfter;
        }

        public boolean mayHaveSigned(long now) {
            return published(now) && signFrom <= now;
        }
    }

    private record Jwks(List<Entry> keys, long validFrom, long validUntil, String json) {}

    private final Supplier<List<Entry>> dir;
    private final Clock clock;
    private volatile Jwks jwks;

    private SigningKeys(Supplier<List<Entry>> dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Loads the keys; fails if no ES256 key signs now (the default ID token algorithm). */
    public static SigningKeys load(ServiceHome home, Clock clock) {
        // a key file that does not parse is left out (and logged), like every file of the home
        WatchedDirectory<Entry> files = new WatchedDirectory<>(home.signingKeysDir(), "*.jwk", SigningKeys::parse, clock);
        SigningKeys s = new SigningKeys(files.derived(WatchedDirectory.Contents::values), clock);
        try {
            s.signingKey("ES256");
        } catch (ConfigurationException e) {
            Map<Path, String> broken = files.get().broken();
            if (broken.isEmpty()) throw e;
            List<String> why = new ArrayList<>();
            broken.forEach((f, w) -> why.add(f + ": " + w));
            throw new ConfigurationException(e.getMessage() + " (left out: " + String.join("; ", why) + ")");
        }
        return s;
    }

    /** Parses the key files (ordered by file name); fails on any file that is not a private JWK with a kid. */
    public static List<Entry> parse(Map<Path, byte[]> files) {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Path, byte[]> f : new java.util.TreeMap<>(files).entrySet()) out.add(parse(f.getKey(), f.getValue()));
        return List.copyOf(out);
    }

    /** One key file; fails when it is not a private JWK with a kid. */
    public static Entry parse(Path file, byte[] content) {
        try {
            // parsed by the service's mapper (limits, duplicate members refused), interpreted by jose4j
            JsonWebKey jwk = JsonWebKey.Factory.newJwk(Json.readObject(new String(content, StandardCharsets.UTF_8)));
            if (!(jwk instanceof PublicJsonWebKey pk) || pk.getPrivateKey() == null || jwk.getKeyId() == null) {
                throw new ConfigurationException(file + ": not a private EC or RSA signing key with a kid");
            }
            return new Entry(file, pk, epochSeconds(file, pk, SIGN_FROM, Long.MIN_VALUE), epochSeconds(file, pk, RETIRE_AFTER, Long.MAX_VALUE));
        } catch (JoseException | RuntimeException e) {
            if (e instanceof ConfigurationException c) throw c;
            throw new ConfigurationException(file + ": not a JWK (" + e.getMessage() + ")");
        }
    }

    private static long epochSeconds(Path file, JsonWebKey k, String name, long absent) {
        Object v = k.getOtherParameterValue(name, Object.class);
        if (v == null) return absent;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        throw new ConfigurationException(file + ": " + name + " must be a number of seconds since the epoch");
    }

    /** The key that signs with {@code alg} now; fails if the home has none for it. */
    public PublicJsonWebKey signingKey(String alg) {
        return signingKey(alg, clock.instant());
    }

    /** The key that signs with {@code alg} at {@code now}; fails if the home has none for it. */
    public PublicJsonWebKey signingKey(String alg, Instant now) {
        Entry e = signer(dir.get(), alg, now.getEpochSecond());
        if (e == null) throw new ConfigurationException("no signing key for " + alg + " in keys/signing");
        return e.key();
    }

    /**
     * Why {@code key} cannot sign {@code alg}, or null when it can: an EC key must be on the curve
     * of the algorithm, an RSA key at least 2048 bits (RFC 7518 §3.3), and a key that names an
     * algorithm ({@code alg}, RFC 7517 §4.4) must name this one, since clients may pick the
     * verification key from the JWKS by it.
     */
    public static String unfitFor(PublicJsonWebKey key, String alg) {
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) return "the key is for " + key.getAlgorithm();
        if (alg.equals("ES256")) {
            if (!(key instanceof EllipticCurveJsonWebKey ec) || !EllipticCurves.P_256.equals(ec.getCurveName())) return "ES256 needs an EC P-256 key";
            return null;
        }
        if (alg.equals("RS256") || alg.equals("PS256")) {
            if (!(key instanceof RsaJsonWebKey rsa)) return alg + " needs an RSA key";
            if (rsa.getRsaPublicKey().getModulus().bitLength() < 2048) return alg + " needs an RSA key of at least 2048 bits";
            return null;
        }
        return "no ID token is signed with " + alg;
    }

    /** The entry that signs with {@code alg} at {@code now} among {@code keys}, or null. */
    public static Entry signer(List<Entry> keys, String alg, long now) {
        boolean ec = alg.startsWith("ES");
        Entry found = null;
        for (Entry k : keys) {
            boolean fits = ec ? k.key() instanceof EllipticCurveJsonWebKey : k.key() instanceof RsaJsonWebKey;
            if (fits && k.mayHaveSigned(now) && (found == null || k.signFrom() >= found.signFrom())) found = k;
        }
        return found;
    }

    /** The public JWKS now: every key not retired, private members and idsvc_* members left out. */
    public String publicJwksJson() {
        return publicJwksJson(clock.instant());
    }

    public String publicJwksJson(Instant at) {
        long now = at.getEpochSecond();
        List<Entry> keys = dir.get();
        Jwks j = jwks;
        if (j != null && j.keys == keys && now >= j.validFrom && now < j.validUntil) return j.json;
        j = buildJwks(keys, now);
        jwks = j;
        return j.json;
    }

    private static Jwks buildJwks(List<Entry> keys, long now) {
        JsonWebKeySet set = new JsonWebKeySet();
        long validFrom = Long.MIN_VALUE;
        long validUntil = Long.MAX_VALUE;
        for (Entry e : keys) {
            if (e.published(now)) {
                set.addJsonWebKey(publicOnly(e.key()));
                validUntil = Math.min(validUntil, e.retireAfter() == Long.MAX_VALUE ? Long.MAX_VALUE : e.retireAfter() + 1);
            } else {
                validFrom = Math.max(validFrom, e.retireAfter() + 1);
            }
        }
        return new Jwks(keys, validFrom, validUntil, set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    }

    private static PublicJsonWebKey publicOnly(PublicJsonWebKey k) {
        try {
            PublicJsonWebKey p = PublicJsonWebKey.Factory.newPublicJwk(k.getPublicKey());
            p.setKeyId(k.getKeyId());
            if (k.getUse() != null) p.setUse(k.getUse());
            if (k.getAlgorithm() != null) p.setAlgorithm(k.getAlgorithm());
            return p;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot publish key " + k.getKeyId(), e);
        }
    }

    /** The keys published now, by kid. */
    public Map<String, PublicJsonWebKey> byKid() {
        long now = clock.instant().getEpochSecond();
        Map<String, PublicJsonWebKey> m = new LinkedHashMap<>();
        for (Entry e : dir.get()) {
            if (e.published(now)) m.put(e.key().getKeyId(), e.key());
        }
        return m;
    }
}
