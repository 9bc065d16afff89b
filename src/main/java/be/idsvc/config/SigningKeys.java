package be.idsvc.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The ID token signing keys of keys/signing/*.jwk. Every key is published in the JWKS; the newest
 * key (by file name order, which the key generator makes chronological) of each type signs.
 */
public final class SigningKeys {
    private final List<PublicJsonWebKey> keys;
    private final String publicJwksJson;

    private SigningKeys(List<PublicJsonWebKey> keys) {
        this.keys = List.copyOf(keys);
        JsonWebKeySet set = new JsonWebKeySet();
        for (PublicJsonWebKey k : keys) set.addJsonWebKey(k);
        this.publicJwksJson = set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    public static SigningKeys load(ServiceHome home) {
        Path dir = home.signingKeysDir();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jwk")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read signing keys in " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<PublicJsonWebKey> keys = new ArrayList<>();
        for (Path f : files) {
            try {
                JsonWebKey jwk = JsonWebKey.Factory.newJwk(Files.readString(f, StandardCharsets.UTF_8));
                if (!(jwk instanceof PublicJsonWebKey pk) || pk.getPrivateKey() == null || jwk.getKeyId() == null) {
                    throw new ConfigurationException(f + ": not a private EC or RSA signing key with a kid");
                }
                keys.add(pk);
            } catch (IOException | JoseException e) {
                throw new ConfigurationException(f + ": not a JWK (" + e.getMessage() + ")");
            }
        }
        SigningKeys s = new SigningKeys(keys);
        s.signingKey("ES256");
        return s;
    }

    /** The key that signs with {@code alg} now; fails if the home has none for it. */
    public PublicJsonWebKey signingKey(String alg) {
        PublicJsonWebKey found = null;
        for (PublicJsonWebKey k : keys) {
            boolean fits = alg.startsWith("ES") ? k instanceof EllipticCurveJsonWebKey : k instanceof RsaJsonWebKey;
            if (fits) found = k;
        }
        if (found == null) throw new ConfigurationException("no signing key for " + alg + " in keys/signing");
        return found;
    }

    public String publicJwksJson() {
        return publicJwksJson;
    }

    public Map<String, PublicJsonWebKey> byKid() {
        Map<String, PublicJsonWebKey> m = new LinkedHashMap<>();
        for (PublicJsonWebKey k : keys) m.put(k.getKeyId(), k);
        return m;
    }
}
