package be.idsvc.eid;

import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

import be.idsvc.config.RevocationSettings;
import be.idsvc.revocation.RevocationChecker;
import be.idsvc.revocation.RevocationResult;

/**
 * Revocation of the cards' authentication certificates, by the same checker as client certificates
 * (docs/revocation.md): OCSP, then CRLs imported in {@code trust/eid/crl/} or fetched from the
 * certificate's distribution point, with the same caching. Settings {@code eid.revocation.*}; the
 * production default asks the OCSP responder of the certificate and refuses when it cannot answer
 * (docs/decisions.md).
 *
 * <p>Log lines and rejection details name the source and the reason, never the certificate's
 * subject or serial number (both lead to the person).
 */
public final class EidRevocation implements AuthCertificateRevocation {
    private static final Logger LOG = Logger.getLogger(EidRevocation.class.getName());
    public static final String PREFIX = "eid.revocation.";

    private final RevocationChecker checker;

    /** @param citizenCas the anchors of {@code trust/eid/citizen-ca/}, against which imported CRLs are verified */
    public EidRevocation(RevocationSettings settings, Path crlDir, Supplier<List<X509Certificate>> citizenCas, Clock clock) {
        // the checker re-indexes its CRLs when the anchor set is another object: hand it the same set
        // for as long as the watched directory hands out the same list
        Supplier<Set<TrustAnchor>> anchors = new Supplier<>() {
            private List<X509Certificate> from;
            private Set<TrustAnchor> set;

            @Override
            public synchronized Set<TrustAnchor> get() {
                List<X509Certificate> now = citizenCas.get();
                if (now != from) {
                    Set<TrustAnchor> out = new HashSet<>();
                    for (X509Certificate c : now) out.add(new TrustAnchor(c, null));
                    set = Set.copyOf(out);
                    from = now;
                }
                return set;
            }
        };
        this.checker = new RevocationChecker(settings, crlDir, anchors, clock);
    }

    /**
     * The production default: ask the OCSP responder named in the certificate (Belgian cards name
     * one), no CRL download (the citizen CAs' CRLs are large), refuse when no status can be had. A
     * sandbox home defaults to no revocation source: its demo CAs run no responder.
     */
    public static RevocationSettings defaults(boolean sandbox) {
        return sandbox ? RevocationSettings.defaults()
                : new RevocationSettings(false, true, null, RevocationSettings.UnavailablePolicy.FAIL);
    }

    public RevocationSettings settings() {
        return checker.settings();
    }

    @Override
    public void check(X509Certificate certificate, X509Certificate issuer) throws ReadoutRejected {
        RevocationResult r = checker.check(certificate, issuer);
        if (r.isGood()) return;
        if (r.isRevoked()) {
            throw new ReadoutRejected(ReadoutRejected.Reason.AUTH_CERT_REVOKED, "authentication certificate " + r.describe());
        }
        if (checker.settings().unavailable() == RevocationSettings.UnavailablePolicy.ALLOW) {
            LOG.warning(() -> "eID authentication certificate accepted without revocation status (eid.revocation.unavailable=allow): "
                    + r.detail());
            return;
        }
        throw new ReadoutRejected(ReadoutRejected.Reason.AUTH_CERT_REVOCATION_UNKNOWN,
                "authentication certificate revocation " + r.describe());
    }
}
