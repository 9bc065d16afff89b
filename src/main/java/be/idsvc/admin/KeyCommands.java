package be.idsvc.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import be.idsvc.config.AtomicFiles;
import be.idsvc.config.ConfigurationException;
import be.idsvc.config.SigningKeys;
import be.idsvc.config.SigningKeys.Entry;

/** {@code keys rotate}: docs/service-home.md, "Signing keys and rotation". */
final class KeyCommands {
    /** How long a retired signer stays published after its successor starts signing: longer than any token lives. */
    static final long RETIRE_GRACE_SECONDS = 86400;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminHome home;
    private final PrintStream out;

    KeyCommands(AdminHome home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    void rotate(Args a) {
        a.operands();
        String alg = a.option("--alg", "ES256");
        if (!Set.of("ES256", "RS256", "PS256").contains(alg)) throw new UsageException("keys rotate: --alg must be ES256, RS256 or PS256");
        int publishFor = a.integer("--publish-for", 600, 0, 30 * 86400);
        home.requireIntact();
        boolean ec = alg.equals("ES256");
        long now = home.now().getEpochSecond();
        long signFrom = now + publishFor;
        long retireAfter = signFrom + RETIRE_GRACE_SECONDS;
        List<Entry> keys = load();

        PublicJsonWebKey key;
        try {
            key = ec ? EcJwkGenerator.generateJwk(EllipticCurves.P256) : RsaJwkGenerator.generateJwk(2048);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate a key", e);
        }
        String day = DateTimeFormatter.ofPattern("yyyyMMdd").format(home.now().atOffset(ZoneOffset.UTC));
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        String kid = (ec ? "es256-" : "rsa-") + day + "-" + HexFormat.of().formatHex(r);
        key.setKeyId(kid);
        key.setUse("sig");
        // an RSA key signs both RS256 and PS256 ID tokens, so it names no single alg
        if (ec) key.setAlgorithm("ES256");
        key.setOtherParameter(SigningKeys.SIGN_FROM, signFrom);

        write(home.signingKeysDir().resolve(kid + ".jwk"), key);
        home.audit("keys rotate", "kid=" + kid + " alg=" + alg + " jkt=" + jkt(key) + " sign_from=" + signFrom);
        out.println("new " + (ec ? "EC P-256" : "RSA-2048") + " key " + kid + ": published now, signs from "
                + Instant.ofEpochSecond(signFrom));

        for (Entry e : keys) {
            boolean sameType = (e.key() instanceof EllipticCurveJsonWebKey) == ec;
            if (!sameType || e.retireAfter() != Long.MAX_VALUE || e.signFrom() > signFrom) continue;
            e.key().setOtherParameter(SigningKeys.RETIRE_AFTER, retireAfter);
            write(e.file(), e.key());
            home.audit("keys retire", "kid=" + e.key().getKeyId() + " jkt=" + jkt(e.key()) + " retire_after=" + retireAfter);
            out.println("key " + e.key().getKeyId() + ": signs until " + Instant.ofEpochSecond(signFrom) + ", retired after "
                    + Instant.ofEpochSecond(retireAfter));
        }
        for (Entry e : keys) {
            if (e.retireAfter() >= now) continue;
            AtomicFiles.delete(e.file());
            home.audit("keys delete", "kid=" + e.key().getKeyId() + " jkt=" + jkt(e.key()) + " retired_after=" + e.retireAfter());
            out.println("deleted key " + e.key().getKeyId() + " (retired after " + Instant.ofEpochSecond(e.retireAfter()) + ")");
        }
    }

    private List<Entry> load() {
        Map<Path, byte[]> files = new TreeMap<>();
        try {
            for (Path f : AdminHome.list(home.signingKeysDir(), "*.jwk")) files.put(f, Files.readAllBytes(f));
            return SigningKeys.parse(files);
        } catch (IOException e) {
            throw new AdminException("cannot read keys/signing: " + e.getMessage());
        } catch (ConfigurationException e) {
            throw new AdminException(e.getMessage());
        }
    }

    private static void write(Path file, PublicJsonWebKey key) {
        AtomicFiles.write(file, (key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE) + "\n").getBytes(StandardCharsets.UTF_8), true);
    }

    /** The RFC 7638 thumbprint: identifies a key in the audit log without revealing it. */
    static String jkt(PublicJsonWebKey key) {
        return key.calculateBase64urlEncodedThumbprint("SHA-256");
    }
}
