package be.idsvc.eid;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.security.auth.x500.X500Principal;

/**
 * What the verifier trusts and how strict it is. Immutable; built in code (a configuration file
 * reader builds one of these).
 *
 * <ul>
 * <li><b>RRN anchors</b>: certificates whose keys may issue the National Register certificate that
 * signs the card files (production: Belgium Root CA3, CA4, CA6). An anchor may also be an RRN
 * certificate itself, which pins that key: used for test cards whose root is not published. A
 * pinned key is trusted whatever certificate carries it, so the validity and key usage checked are
 * then only the presented certificate's claims; production configures roots, not pins.
 * <li><b>Expected RRN subject</b>: production requires {@code CN=RRN, O=RRN, C=BE}; test roots use
 * other names, so it is optional.
 * <li><b>Citizen CA anchors</b>: keys that may issue the card's authentication certificate,
 * directly or through the card's {@code cacert}. Without any, challenge signatures cannot be
 * checked and every challenge is refused as untrusted.
 * <li><b>Strict national numbers</b>: also check birth date, sequence and gender parity in the
 * number; test cards break those rules, production cards do not.
 * <li><b>Clock</b>: for certificate and card validity; card dates are Belgian calendar days.
 * <li><b>Revocation</b> of authentication certificates: where configured (CRL, OCSP), asked last.
 * <li><b>Production certificate rules</b> (default on; off only in sandbox homes and for test
 * cards): an expected RRN subject must be configured, every CA certificate on a path must be a CA
 * with key usage keyCertSign, the authentication certificate must carry a Belgian eID
 * authentication policy and its card CA a Belgian policy ({@link BelgianCertificatePolicies}).
 * Off, a missing key usage on a CA is tolerated and no policy is required.
 * </ul>
 *
 * <p>Whatever the rules, a certificate is trusted only as an anchor itself (byte for byte) or by an
 * anchor's signature: carrying an anchor's name or public key earns nothing.
 */
public final class EidTrust {
    /** Card validity dates are calendar days in Belgium. */
    public static final ZoneId CARD_ZONE = ZoneId.of("Europe/Brussels");
    /** The production RRN certificate subject. */
    public static final X500Principal PRODUCTION_RRN_SUBJECT = new X500Principal("CN=RRN, O=RRN, C=BE");

    private final TrustAnchors rrnAnchors;
    private final X500Principal expectedRrnSubject;
    private final TrustAnchors citizenCaAnchors;
    private final boolean strictNationalNumbers;
    private final Clock clock;
    private final AuthCertificateRevocation revocation;
    private final boolean productionRules;

    private EidTrust(Builder b) {
        if (b.rrnAnchors.isEmpty()) throw new IllegalArgumentException("at least one RRN trust anchor is needed");
        this.rrnAnchors = new TrustAnchors(b.rrnAnchors);
        this.expectedRrnSubject = b.expectedRrnSubject;
        this.citizenCaAnchors = new TrustAnchors(b.citizenCaAnchors);
        this.strictNationalNumbers = b.strictNationalNumbers;
        this.clock = b.clock;
        this.revocation = b.revocation;
        this.productionRules = b.productionRules;
    }

    public static Builder builder() {
        return new Builder();
    }

    TrustAnchors rrnAnchors() { return rrnAnchors; }
    TrustAnchors citizenCaAnchors() { return citizenCaAnchors; }

    public List<X509Certificate> rrnAnchorCertificates() { return rrnAnchors.certificates(); }
    public List<X509Certificate> citizenCaAnchorCertificates() { return citizenCaAnchors.certificates(); }
    /** Null when any RRN subject is accepted. */
    public X500Principal expectedRrnSubject() { return expectedRrnSubject; }
    public boolean strictNationalNumbers() { return strictNationalNumbers; }
    /** True unless built for a sandbox home or test cards: see the class comment. */
    public boolean productionRules() { return productionRules; }
    public Clock clock() { return clock; }
    /** How authentication certificates are checked for revocation ({@link AuthCertificateRevocation#NONE} by default). */
    public AuthCertificateRevocation authCertificateRevocation() { return revocation; }

    /** A copy with another clock (tests, and checking a readout "as of" a date). */
    public EidTrust withClock(Clock clock) {
        return toBuilder().clock(clock).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.rrnAnchors.addAll(rrnAnchors.certificates());
        b.citizenCaAnchors.addAll(citizenCaAnchors.certificates());
        b.expectedRrnSubject = expectedRrnSubject;
        b.strictNationalNumbers = strictNationalNumbers;
        b.clock = clock;
        b.revocation = revocation;
        b.productionRules = productionRules;
        return b;
    }

    public static final class Builder {
        private final List<X509Certificate> rrnAnchors = new ArrayList<>();
        private final List<X509Certificate> citizenCaAnchors = new ArrayList<>();
        private X500Principal expectedRrnSubject;
        private boolean strictNationalNumbers = true;
        private Clock clock = Clock.systemUTC();
        private AuthCertificateRevocation revocation = AuthCertificateRevocation.NONE;
        private boolean productionRules = true;

        private Builder() {}

        /** Default true; false only for a sandbox home or test cards, whose PKIs follow no Belgian policy. */
        public Builder productionRules(boolean production) {
            this.productionRules = production;
            return this;
        }

        /** Default {@link AuthCertificateRevocation#NONE}: no revocation source. */
        public Builder authCertificateRevocation(AuthCertificateRevocation revocation) {
            this.revocation = Objects.requireNonNull(revocation);
            return this;
        }

        public Builder rrnAnchor(X509Certificate anchor) {
            rrnAnchors.add(Objects.requireNonNull(anchor));
            return this;
        }

        /** Forgets the citizen CA anchors given so far (a copy with other anchors). */
        public Builder citizenCaAnchorsCleared() {
            citizenCaAnchors.clear();
            return this;
        }

        public Builder citizenCaAnchor(X509Certificate anchor) {
            citizenCaAnchors.add(Objects.requireNonNull(anchor));
            return this;
        }

        /** Null accepts any subject. */
        public Builder expectedRrnSubject(X500Principal subject) {
            this.expectedRrnSubject = subject;
            return this;
        }

        /** Default true (production); test cards need false. */
        public Builder strictNationalNumbers(boolean strict) {
            this.strictNationalNumbers = strict;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public EidTrust build() {
            return new EidTrust(this);
        }
    }
}
