package be.idsvc.revocation;

import java.time.Instant;
import java.util.Objects;

/**
 * The revocation status of one certificate.
 *
 * @param status GOOD, REVOKED or UNAVAILABLE
 * @param reason REVOKED: the RFC 5280 reason ({@code keyCompromise}, ..., {@code unspecified}); else null
 * @param revocationDate REVOKED: when it was revoked; else null
 * @param detail where the answer came from (GOOD, REVOKED) or why there is none (UNAVAILABLE); no personal data
 * @param byConfiguration GOOD only because no revocation source is configured for the certificate's CA
 */
public record RevocationResult(Status status, String reason, Instant revocationDate, String detail, boolean byConfiguration) {
    public enum Status { GOOD, REVOKED, UNAVAILABLE }

    public RevocationResult {
        Objects.requireNonNull(status);
        Objects.requireNonNull(detail);
        if (status == Status.REVOKED) {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(revocationDate);
        }
    }

    public static RevocationResult good(String source) {
        return new RevocationResult(Status.GOOD, null, null, source, false);
    }

    /** No CRL imported for the CA, no fetching, no OCSP: nothing to check. */
    public static RevocationResult goodByConfiguration() {
        return new RevocationResult(Status.GOOD, null, null, "no revocation source configured for the issuing CA", true);
    }

    public static RevocationResult revoked(String reason, Instant date, String source) {
        return new RevocationResult(Status.REVOKED, reason, date, source, false);
    }

    public static RevocationResult unavailable(String why) {
        return new RevocationResult(Status.UNAVAILABLE, null, null, why, false);
    }

    public boolean isGood() {
        return status == Status.GOOD;
    }

    public boolean isRevoked() {
        return status == Status.REVOKED;
    }

    public boolean isUnavailable() {
        return status == Status.UNAVAILABLE;
    }

    /** One line for a log: {@code revoked (keyCompromise) on 2026-01-02T03:04:05Z per CRL ...}. */
    public String describe() {
        return switch (status) {
            case GOOD -> "good per " + detail;
            case REVOKED -> "revoked (" + reason + ") on " + revocationDate + " per " + detail;
            case UNAVAILABLE -> "status unavailable: " + detail;
        };
    }
}
