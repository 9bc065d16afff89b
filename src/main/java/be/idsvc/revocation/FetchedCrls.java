package be.idsvc.revocation;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * CRLs fetched from certificates' http CRL distribution points, cached in memory by URL. A cached
 * CRL is used until shortly before its nextUpdate ({@link #REFRESH_MARGIN}, at most a quarter of
 * its validity), then fetched again; one without nextUpdate is fetched again after
 * {@link #WITHOUT_NEXT_UPDATE}. After a failed fetch the URL is not tried again for
 * {@link #RETRY_AFTER_FAILURE} (one WARNING per failure, not one per request); meanwhile the last
 * CRL is used while it is current.
 */
final class FetchedCrls {
    static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
    static final Duration WITHOUT_NEXT_UPDATE = Duration.ofHours(1);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    static final int MAX_URLS = 1000;
    private static final Logger LOG = Logger.getLogger(FetchedCrls.class.getName());

    /** A cached CRL (null until one was fetched) and the last error (null after a success). */
    record Fetched(Crl crl, String error) {}

    private static final class Slot {
        volatile Crl crl;
        volatile Instant refreshAt = Instant.MIN;
        volatile Instant retryAfter = Instant.MIN;
        volatile String error;
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final Clock clock;

    FetchedCrls(Clock clock) {
        this.clock = clock;
    }

    /** The CRL at {@code url} issued by {@code issuer}, from the cache or fetched now. */
    Fetched get(URI url, X509Certificate issuer) {
        String key = url.toString();
        if (slots.size() >= MAX_URLS && !slots.containsKey(key)) slots.clear();
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        Instant now = clock.instant();
        Crl c = slot.crl;
        if (c != null && now.isBefore(slot.refreshAt)) return answer(c, slot.error, url, issuer);
        synchronized (slot) {
            now = clock.instant();
            c = slot.crl;
            if (c != null && now.isBefore(slot.refreshAt)) return answer(c, slot.error, url, issuer);
            if (now.isBefore(slot.retryAfter)) return answer(c, slot.error, url, issuer);
            String doing = "cannot fetch the CRL ";
            try {
                byte[] bytes = Http.get(url, Http.MAX_CRL_BYTES);
                doing = "ignoring the CRL ";
                X509CRL parsed = Crl.parse(bytes);
                Crl fresh = Crl.verified("CRL " + url, parsed, issuer);
                slot.crl = fresh;
                slot.error = null;
                slot.refreshAt = refreshAt(fresh, now);
                return new Fetched(fresh, null);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                String why = doing + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                slot.error = why;
                slot.retryAfter = now.plus(RETRY_AFTER_FAILURE);
                LOG.warning(why);
                return answer(slot.crl, why, url, issuer);
            }
        }
    }

    private static Fetched answer(Crl c, String error, URI url, X509Certificate issuer) {
        if (c != null && !c.issuedBy(issuer)) return new Fetched(null, "the CRL " + url + " is not issued by the certificate's issuer");
        return new Fetched(c, error);
    }

    static Instant refreshAt(Crl crl, Instant now) {
        Instant at;
        if (crl.nextUpdate == null) {
            at = now.plus(WITHOUT_NEXT_UPDATE);
        } else {
            Duration validity = Duration.between(crl.thisUpdate, crl.nextUpdate);
            Duration margin = validity.isNegative() ? Duration.ZERO : validity.dividedBy(4);
            if (margin.compareTo(REFRESH_MARGIN) > 0) margin = REFRESH_MARGIN;
            at = crl.nextUpdate.minus(margin);
        }
        // a CRL that is already due is not fetched again on every request
        Instant earliest = now.plus(RETRY_AFTER_FAILURE);
        if (!at.isBefore(earliest)) return at;
        if (crl.nextUpdate != null && crl.nextUpdate.isAfter(now) && crl.nextUpdate.isBefore(earliest)) return crl.nextUpdate;
        return earliest;
    }
}
