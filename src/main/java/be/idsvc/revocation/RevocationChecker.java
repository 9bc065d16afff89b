package be.idsvc.revocation;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

import be.idsvc.config.RevocationSettings;
import be.idsvc.pki.CertificateThumbprint;

/**
 * Revocation checking of CA-issued ({@code tls_client_auth}) client certificates (docs/revocation.md).
 *
 * <p>{@link #check} asks OCSP first when {@code revocation.ocsp=true}; when OCSP gives no answer it
 * uses the CRLs: those imported in {@code trust/crl/} and, when {@code revocation.crl.fetch=true},
 * those of the certificate's http CRL distribution points. A CA with none of these sources
 * configured gets GOOD "by configuration" (nothing logged; the admin {@code check} command reports
 * such CAs via {@link #hasSourceFor}).
 *
 * <p>{@link #admit} applies the policy and writes the log line: REVOKED is refused, UNAVAILABLE is
 * refused under {@code revocation.unavailable=fail} (the default) and let through with a WARNING
 * under {@code allow}. Thread-safe; everything costly (CRL parsing and verification, OCSP answers)
 * is cached.
 */
public final class RevocationChecker {
    private static final Logger LOG = Logger.getLogger(RevocationChecker.class.getName());

    private final RevocationSettings settings;
    private final ImportedCrls imported;
    private final FetchedCrls fetched;
    private final OcspClient ocsp;
    private final Clock clock;

    /**
     * @param crlDir the imported CRLs ({@code trust/crl/}); watched for changes
     * @param clientCas the CAs of {@code trust/client-ca/}, against which imported CRLs are verified
     */
    public RevocationChecker(RevocationSettings settings, Path crlDir, Supplier<Set<TrustAnchor>> clientCas, Clock clock) {
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.imported = new ImportedCrls(crlDir, Objects.requireNonNull(clientCas), this.clock);
        this.fetched = new FetchedCrls(clock);
        this.ocsp = new OcspClient(clock);
    }

    /** A checker with no source at all: every certificate is GOOD by configuration. */
    public static RevocationChecker none() {
        return new RevocationChecker(RevocationSettings.defaults(), null, Set::of, Clock.systemUTC());
    }

    public RevocationSettings settings() {
        return settings;
    }

    /** Whether certificates of this CA are checked at all (an imported CRL names it, fetching or OCSP is on). */
    public boolean hasSourceFor(X509Certificate ca) {
        return settings.ocsp() || settings.crlFetch() || imported.current().claimed().contains(ca.getSubjectX500Principal());
    }

    /** The revocation status of {@code leaf}, issued by {@code issuer} (validated by the caller). Never throws. */
    public RevocationResult check(X509Certificate leaf, X509Certificate issuer) {
        try {
            return doCheck(leaf, issuer);
        } catch (RuntimeException e) {
            return RevocationResult.unavailable("revocation check failed: " + e);
        }
    }

    private RevocationResult doCheck(X509Certificate leaf, X509Certificate issuer) {
        ImportedCrls.Index index = imported.current();
        boolean importedClaims = index.claimed().contains(issuer.getSubjectX500Principal());
        if (!settings.ocsp() && !settings.crlFetch() && !importedClaims) return RevocationResult.goodByConfiguration();

        List<String> why = new ArrayList<>();
        if (settings.ocsp()) {
            URI responder = settings.ocspResponder();
            if (responder == null) {
                List<URI> aia = OcspClient.responders(leaf);
                responder = aia.isEmpty() ? null : aia.get(0);
            }
            if (responder == null) {
                why.add("no OCSP responder: revocation.ocsp.responder is not set and the certificate's AIA names no http responder");
            } else {
                RevocationResult r = ocsp.status(responder, leaf, issuer);
                if (!r.isUnavailable()) return r;
                why.add(r.detail());
            }
        }

        Instant now = clock.instant();
        List<String> cdp = Crl.distributionPoints(leaf);
        List<Crl> crls = new ArrayList<>(index.forIssuer(issuer));
        if (importedClaims && crls.isEmpty()) {
            why.add("the CRL imported for " + issuer.getSubjectX500Principal().getName() + " is not usable (see the SEVERE log)");
        }
        // an imported CRL that already revokes the certificate needs no fetch
        RevocationResult fromImported = evaluate(crls, cdp, leaf, now, new ArrayList<>());
        if (fromImported != null && fromImported.isRevoked()) return fromImported;
        if (settings.crlFetch()) {
            List<URI> urls = Crl.httpDistributionPoints(leaf);
            if (urls.isEmpty()) why.add("the certificate names no http CRL distribution point");
            for (URI url : urls) {
                FetchedCrls.Fetched f = fetched.get(url, issuer);
                if (f.crl() != null) crls.add(f.crl());
                if (f.error() != null) why.add(f.error());
            }
        }
        RevocationResult r = evaluate(crls, cdp, leaf, now, why);
        if (r != null) return r;
        return RevocationResult.unavailable(why.isEmpty() ? "no revocation status" : String.join("; ", why));
    }

    /** REVOKED if a current CRL lists it, GOOD if a current CRL covers it, else null (and why gets the reasons). */
    private static RevocationResult evaluate(List<Crl> crls, List<String> cdp, X509Certificate leaf, Instant now, List<String> why) {
        RevocationResult good = null;
        for (Crl c : crls) {
            if (!c.covers(cdp)) {
                why.add(c.source + " does not cover the certificate (issuing distribution point)");
                continue;
            }
            RevocationResult r = c.status(leaf.getSerialNumber(), now);
            if (r.isRevoked()) return r;
            if (r.isGood()) {
                if (good == null) good = r;
            } else {
                why.add(r.detail());
            }
        }
        return good;
    }

    /** Whether the policy lets the certificate through, and the status it is based on. */
    public record Admission(boolean admitted, RevocationResult result) {}

    /**
     * Checks and applies the policy. Logs one WARNING line per refusal and per certificate let
     * through without status (revocation.unavailable=allow), naming the client id, the certificate's
     * x5t#S256 and serial and why; nothing for a good certificate.
     */
    public Admission admit(String clientId, X509Certificate leaf, X509Certificate issuer) {
        RevocationResult r = check(leaf, issuer);
        if (r.isGood()) return new Admission(true, r);
        String who = "client " + clientId + " certificate x5t#S256=" + CertificateThumbprint.x5tS256(leaf)
                + " serial=" + leaf.getSerialNumber().toString(16);
        if (r.isUnavailable() && settings.unavailable() == RevocationSettings.UnavailablePolicy.ALLOW) {
            LOG.warning(() -> "revocation: accepted " + who + " without revocation status (revocation.unavailable=allow): " + r.detail());
            return new Admission(true, r);
        }
        LOG.warning(() -> "revocation: refused " + who + ": " + r.describe());
        return new Admission(false, r);
    }
}
