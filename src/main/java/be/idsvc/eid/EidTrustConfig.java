package be.idsvc.eid;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.security.auth.x500.X500Principal;

import be.idsvc.config.ConfigurationException;
import be.idsvc.config.PropertiesFile;
import be.idsvc.config.RevocationSettings;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.WatchedDirectory;
import be.idsvc.pki.Pem;

/**
 * The eID trust of a service home: {@code trust/eid/rrn-ca/*.pem} (RRN trust anchors),
 * {@code trust/eid/citizen-ca/*.pem} (anchors for authentication certificates),
 * {@code trust/eid/crl/*.crl} (imported CRLs of citizen CAs) and, from {@code idsvc.properties},
 * {@code eid.rrn_subject}, {@code eid.strict_national_numbers}, {@code eid.sandbox_virtual_cards}
 * and {@code eid.revocation.*} ({@link EidRevocation}).
 *
 * <p>The two directories are re-read when they change, file by file like the other trust
 * directories: a file that does not parse trusts nothing until it is fixed, and the others still
 * reload (removals included). The settings are read at start-up.
 *
 * <p>Outside sandbox homes ({@code eid.sandbox_virtual_cards} not true) the verifier applies the
 * production certificate rules ({@link EidTrust}): {@code eid.rrn_subject} is required (without it
 * every readout is refused and the log says why), and the sandbox's demo anchors
 * ({@code sandbox-*.pem}, whose private keys lie in the home's {@code keys/sandbox/}) are never
 * trusted; {@code idsvc check} reports both.
 * One {@link ReadoutVerifier} is kept per loaded trust, so its cache of trusted RRN certificates
 * survives between requests and is dropped when the anchors change.
 */
public final class EidTrustConfig {
    public static final String RRN_SUBJECT = "eid.rrn_subject";
    public static final String STRICT_NATIONAL_NUMBERS = "eid.strict_national_numbers";
    public static final String SANDBOX_VIRTUAL_CARDS = "eid.sandbox_virtual_cards";
    /** How {@code idsvc demo-home} names the sandbox's demo anchors. */
    public static final String SANDBOX_ANCHOR_GLOB = "sandbox-*.pem";
    private static final Logger LOG = Logger.getLogger(EidTrustConfig.class.getName());

    private final WatchedDirectory<List<X509Certificate>> rrnDir;
    private final WatchedDirectory<List<X509Certificate>> citizenDir;
    private final Supplier<List<X509Certificate>> rrnAnchors;
    private final Supplier<List<X509Certificate>> citizenCaAnchors;
    /** The sandbox's own demo roots: {@code trust/eid/rrn-ca/sandbox-*.pem}, as {@code idsvc demo-home} names them. */
    private final Supplier<List<X509Certificate>> sandboxRrnAnchors;
    private final X500Principal expectedRrnSubject;
    private final boolean strictNationalNumbers;
    private final boolean sandboxVirtualCards;
    private final boolean productionRules;
    /** Null: no revocation check (the CLI's --trust DIR). */
    private final EidRevocation revocation;
    /** Certificate and card validity are judged at this clock's time. */
    private final Clock clock;
    private volatile Built built;

    private record Built(List<X509Certificate> rrn, List<X509Certificate> citizen, ReadoutVerifier verifier) {}

    public EidTrustConfig(ServiceHome home, Clock clock) {
        this(home.eidRrnCaDir(), home.eidCitizenCaDir(), home.eidCrlDir(), PropertiesFile.read(home.settingsFile()), clock);
    }

    /**
     * From a directory holding {@code rrn-ca/} and {@code citizen-ca/} (the CLI's {@code --trust DIR}).
     * Strict: production rules, national number rules and the production RRN subject; not strict:
     * test cards (no production certificate rules, no national number date/parity rules, any RRN subject).
     */
    public static EidTrustConfig fromTrustDir(Path dir, boolean strict, Clock clock) {
        EidTrustConfig c = new EidTrustConfig(dir.resolve("rrn-ca"), dir.resolve("citizen-ca"), strict ? EidTrust.PRODUCTION_RRN_SUBJECT : null,
                strict, false, strict, null, null, clock);
        // a one-off verification trusts exactly the directory given, or says what is wrong with it
        Map<Path, String> broken = c.brokenFiles();
        if (!broken.isEmpty()) {
            Map.Entry<Path, String> first = broken.entrySet().iterator().next();
            throw new ConfigurationException(first.getKey() + ": " + first.getValue());
        }
        return c;
    }

    private EidTrustConfig(Path rrnDir, Path citizenDir, Path crlDir, PropertiesFile settings, Clock clock) {
        this(rrnDir, citizenDir, subject(settings), settings.bool(STRICT_NATIONAL_NUMBERS, true),
                settings.bool(SANDBOX_VIRTUAL_CARDS, false), !settings.bool(SANDBOX_VIRTUAL_CARDS, false), crlDir, settings, clock);
    }

    private EidTrustConfig(Path rrnDir, Path citizenDir, X500Principal expectedRrnSubject, boolean strict, boolean sandbox,
            boolean productionRules, Path crlDir, PropertiesFile settings, Clock clock) {
        this.rrnDir = new WatchedDirectory<>(rrnDir, "*.pem", EidTrustConfig::parse, clock);
        this.citizenDir = new WatchedDirectory<>(citizenDir, "*.pem", EidTrustConfig::parse, clock);
        // outside a sandbox, its demo anchors are never trusted: their keys lie in the home
        this.rrnAnchors = this.rrnDir.derived(c -> anchors(c, sandbox));
        this.citizenCaAnchors = this.citizenDir.derived(c -> anchors(c, sandbox));
        this.sandboxRrnAnchors = this.rrnDir.derived(c -> {
            List<X509Certificate> out = new ArrayList<>();
            c.parsed().forEach((f, certs) -> {
                if (isSandboxAnchorFile(f)) out.addAll(certs);
            });
            return List.copyOf(out);
        });
        this.expectedRrnSubject = expectedRrnSubject;
        this.strictNationalNumbers = strict;
        this.sandboxVirtualCards = sandbox;
        this.productionRules = productionRules;
        this.clock = clock;
        // the CLI's --trust DIR checks no revocation: it verifies a readout file, not a person present now
        this.revocation = settings == null ? null : new EidRevocation(
                RevocationSettings.read(settings, EidRevocation.PREFIX, EidRevocation.defaults(sandbox)),
                crlDir, citizenCaAnchors::get, clock);
    }

    /** The verifier for the current trust, or empty when no RRN anchor is configured (no eID readout possible). */
    public Optional<ReadoutVerifier> verifier() {
        List<X509Certificate> rrn = rrnAnchors.get();
        List<X509Certificate> citizen = citizenCaAnchors.get();
        Built b = built;
        if (b != null && b.rrn == rrn && b.citizen == citizen) return Optional.ofNullable(b.verifier);
        ReadoutVerifier v = rrn.isEmpty() ? null : new ReadoutVerifier(trust(rrn, citizen));
        if (v != null && productionRules && expectedRrnSubject == null) {
            LOG.severe(RRN_SUBJECT + " is not set: every eID readout is refused (it is required outside sandbox homes;"
                    + " production: " + RRN_SUBJECT + "=CN=RRN, O=RRN, C=BE)");
        }
        built = new Built(rrn, citizen, v);
        return Optional.ofNullable(v);
    }

    /** The current trust, or empty when no RRN anchor is configured. */
    public Optional<EidTrust> trust() {
        return verifier().map(ReadoutVerifier::trust);
    }

    public X500Principal expectedRrnSubject() { return expectedRrnSubject; }
    public boolean strictNationalNumbers() { return strictNationalNumbers; }
    /** True only when {@code eid.sandbox_virtual_cards=true}: a test home. */
    public boolean sandboxVirtualCards() { return sandboxVirtualCards; }
    /** Production certificate rules ({@link EidTrust#productionRules()}): everywhere but in sandbox homes and for test trust. */
    public boolean productionRules() { return productionRules; }
    /**
     * Whether a verified card is one of the sandbox's demo cards: this is a sandbox home and the
     * card's RRN certificate is (or is issued by) a key of {@code trust/eid/rrn-ca/sandbox-*.pem}.
     * Such cards get the test acr; cards under any other anchor of a sandbox home are identified
     * like real ones (a test RRN CA trusted as a production-like anchor). Never true in production.
     */
    public boolean isSandboxCard(X509Certificate rrnCertificate) {
        if (!sandboxVirtualCards) return false;
        for (X509Certificate a : sandboxRrnAnchors.get()) {
            if (a.equals(rrnCertificate)) return true;
            try {
                rrnCertificate.verify(a.getPublicKey());
                return true;
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // not this anchor
            }
        }
        return false;
    }

    /** The revocation settings for authentication certificates, or null when none are checked (--trust DIR). */
    public RevocationSettings revocationSettings() { return revocation == null ? null : revocation.settings(); }

    private EidTrust trust(List<X509Certificate> rrn, List<X509Certificate> citizen) {
        EidTrust.Builder b = EidTrust.builder().expectedRrnSubject(expectedRrnSubject).strictNationalNumbers(strictNationalNumbers)
                .productionRules(productionRules).clock(clock);
        rrn.forEach(b::rrnAnchor);
        citizen.forEach(b::citizenCaAnchor);
        if (revocation != null) b.authCertificateRevocation(revocation);
        return b.build();
    }

    private static X500Principal subject(PropertiesFile settings) {
        String v = settings.optional(RRN_SUBJECT);
        if (v == null) return null;
        try {
            return new X500Principal(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(settings.file() + ": " + RRN_SUBJECT + " is not a distinguished name: " + e.getMessage());
        }
    }

    /** The anchor files that do not parse (left out of the trust), with why. */
    public Map<Path, String> brokenFiles() {
        Map<Path, String> out = new TreeMap<>(rrnDir.get().broken());
        out.putAll(citizenDir.get().broken());
        return out;
    }

    /** The certificates of one anchor file; throws when it holds none or something else. */
    public static List<X509Certificate> parse(Path file, byte[] content) {
        return Pem.certificates(new String(content, StandardCharsets.US_ASCII));
    }

    private static List<X509Certificate> anchors(WatchedDirectory.Contents<List<X509Certificate>> c, boolean sandbox) {
        List<X509Certificate> out = new ArrayList<>();
        c.parsed().forEach((f, certs) -> {
            if (!sandbox && isSandboxAnchorFile(f)) {
                LOG.severe(() -> "ignoring the sandbox anchor " + f + ": this is not a sandbox home (" + SANDBOX_VIRTUAL_CARDS
                        + " is not true); remove it (idsvc check lists such anchors)");
            } else {
                out.addAll(certs);
            }
        });
        return List.copyOf(out);
    }

    private static boolean isSandboxAnchorFile(Path f) {
        return java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + SANDBOX_ANCHOR_GLOB).matches(f.getFileName());
    }
}
