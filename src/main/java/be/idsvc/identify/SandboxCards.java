package be.idsvc.identify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import be.idsvc.config.ConfigurationException;
import be.idsvc.eid.Readout;
import be.idsvc.eid.ReadoutRejected;
import be.idsvc.json.Json;
import be.idsvc.pki.Pem;

/**
 * The virtual test cards of a sandbox home: {@code sandbox/cards/<id>/readout.json} (the card's
 * files as BeIDConnect fields, plus a {@code label}) and {@code sandbox/cards/<id>/auth-key.pem}
 * (the card's authentication private key, which on a real card never leaves the chip). Read on
 * demand: the sandbox is for developers and demos, not for load.
 */
public final class SandboxCards {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** A card as the sandbox page lists it. */
    public record Listed(String id, String label) {}

    /** A card that can be read and can sign a challenge, as if its holder had typed the PIN. */
    public record Card(String id, String label, Readout readout, PrivateKey authenticationKey) {
        /** SHA256withRSA, or SHA256withECDSA (DER), over the raw challenge: what the card's auth() returns. */
        public byte[] signChallenge(byte[] challenge) {
            try {
                Signature s = Signature.getInstance(authenticationKey instanceof ECKey ? "SHA256withECDSA" : "SHA256withRSA");
                s.initSign(authenticationKey);
                s.update(challenge);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new ConfigurationException("sandbox card " + id + ": cannot sign with its authentication key: " + e.getMessage());
            }
        }
    }

    private final Path dir;

    public SandboxCards(Path dir) {
        this.dir = dir;
    }

    /** The cards, by id, in name order; a card whose files are unreadable is left out. */
    public List<Listed> all() {
        List<Listed> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            s.forEach(dirs::add);
        } catch (IOException e) {
            throw new ConfigurationException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        dirs.sort(null);
        for (Path d : dirs) {
            String id = d.getFileName().toString();
            if (!ID.matcher(id).matches()) continue;
            try {
                out.add(new Listed(id, label(id, card(d))));
            } catch (ConfigurationException e) {
                // unreadable card: not offered
            }
        }
        return out;
    }

    /** The card, if {@code id} names one. */
    public Optional<Card> find(String id) {
        if (id == null || !ID.matcher(id).matches()) return Optional.empty();
        Path d = dir.resolve(id);
        if (!Files.isRegularFile(d.resolve("readout.json"))) return Optional.empty();
        SandboxCardFile file = card(d);
        try {
            return Optional.of(new Card(id, label(id, file), Readout.fromFields(file.readoutFields()), Pem.privateKey(d.resolve("auth-key.pem"))));
        } catch (ReadoutRejected | Pem.PemException e) {
            throw new ConfigurationException("sandbox card " + d + " is not usable: " + e.getMessage());
        }
    }

    /**
     * The fields of a readout file from elsewhere (BeIDConnect's base64 fields, as the readout page
     * posts them): its string members; members it carries besides are not ours to judge and are ignored.
     */
    public static Map<String, String> readFields(Path file) {
        try {
            Json.checkSize(Files.size(file));
            Map<String, Object> json = Json.readObject(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, String> out = new HashMap<>();
            json.forEach((k, v) -> { if (v instanceof String s) out.put(k, s); });
            return out;
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("cannot read " + file + " as a JSON object: " + e.getMessage());
        }
    }

    /** A card's own file: our format, read strictly (an unknown member means a file we did not write). */
    private static SandboxCardFile card(Path cardDir) {
        Path file = cardDir.resolve("readout.json");
        try {
            Json.checkSize(Files.size(file));
            return Json.readOwn(Files.readString(file, StandardCharsets.UTF_8), SandboxCardFile.class);
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("cannot read " + file + " as a sandbox card: " + e.getMessage());
        }
    }

    private static String label(String id, SandboxCardFile file) {
        return file.label() == null ? id : file.label();
    }
}
