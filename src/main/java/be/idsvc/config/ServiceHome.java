package be.idsvc.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** The directory both deployments read (docs/service-home.md). */
public record ServiceHome(Path dir) {
    public static final String JNDI_NAME = "idsvc/home";
    public static final String SYSTEM_PROPERTY = "idsvc.home";
    public static final String ENVIRONMENT_VARIABLE = "IDSVC_HOME";

    /**
     * The first of: the JNDI entry, the system property, the environment variable. The home must
     * exist and hold idsvc.properties.
     */
    public static ServiceHome locate(String fromJndi) {
        String where = firstNonBlank(fromJndi, System.getProperty(SYSTEM_PROPERTY), System.getenv(ENVIRONMENT_VARIABLE));
        if (where == null) {
            throw new ConfigurationException("no service home: set the JNDI environment entry " + JNDI_NAME
                    + ", the system property " + SYSTEM_PROPERTY + " or the environment variable " + ENVIRONMENT_VARIABLE);
        }
        return at(Path.of(where));
    }

    public static ServiceHome at(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs.resolve("idsvc.properties"))) {
            throw new ConfigurationException("service home " + abs + " has no idsvc.properties");
        }
        return new ServiceHome(abs);
    }

    public Path settingsFile() {
        return dir.resolve("idsvc.properties");
    }

    public Path signingKeysDir() {
        return dir.resolve("keys/signing");
    }

    public Path pairwiseSecretFile() {
        return dir.resolve("keys/pairwise.secret");
    }

    public Path clientsDir() {
        return dir.resolve("clients");
    }

    public Path clientCaDir() {
        return dir.resolve("trust/client-ca");
    }

    /** Imported CRLs ({@code trust/crl/*.crl}, DER or PEM). */
    public Path crlDir() {
        return dir.resolve("trust/crl");
    }

    public Path pinnedDir() {
        return dir.resolve("trust/pinned");
    }

    /** RRN trust anchors: roots (or pinned RRN certificates) whose keys may issue the National Register certificate. */
    public Path eidRrnCaDir() {
        return dir.resolve("trust/eid/rrn-ca");
    }

    /** Anchors for the cards' authentication certificates (citizen/foreigner CAs, or roots). */
    public Path eidCitizenCaDir() {
        return dir.resolve("trust/eid/citizen-ca");
    }

    /** Imported CRLs of the citizen CAs that issue the cards' authentication certificates. */
    public Path eidCrlDir() {
        return dir.resolve("trust/eid/crl");
    }

    /** Virtual sandbox cards: one directory per card (readout.json, auth-key.pem). */
    public Path sandboxCardsDir() {
        return dir.resolve("sandbox/cards");
    }

    /** The demo home's sandbox authority keys (never in a production home). */
    public Path sandboxKeysDir() {
        return dir.resolve("keys/sandbox");
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) return v.trim();
        }
        return null;
    }
}
