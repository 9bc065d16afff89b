package be.idsvc.eid;

/**
 * A card readout that must not be accepted, with the one precise reason why.
 *
 * <p>The detail message is meant for logs and support: it names files, tags, lengths and
 * algorithms, never personal data (no names, no national numbers, no card bytes), so it can be
 * logged as is. Pages shown to people map the {@link Reason}, not the message.
 *
 * <p>Checked on purpose: every caller (web endpoint, CLI, benchmark) has to decide what a
 * rejection means for it.
 */
public final class ReadoutRejected extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        // what the browser posted
        MISSING_FIELD,
        MALFORMED_BASE64,
        FIELD_TOO_LARGE,
        // structure of the signed files
        TLV_MALFORMED,
        TLV_DUPLICATE_TAG,
        TLV_LENGTH_OVERRUN,
        IDENTITY_FIELD_MISSING,
        ADDRESS_FIELD_MISSING,
        // the National Register (RRN) certificate that signs the files
        RRN_CERT_MALFORMED,
        RRN_CERT_UNTRUSTED,
        RRN_CERT_EXPIRED,
        RRN_CERT_NOT_YET_VALID,
        RRN_CERT_KEY_USAGE,
        RRN_CERT_KEY_UNSUPPORTED,
        RRN_CERT_SUBJECT,
        // integrity of the card files
        IDENTITY_SIGNATURE_INVALID,
        ADDRESS_SIGNATURE_INVALID,
        PHOTO_HASH_LENGTH_UNKNOWN,
        PHOTO_HASH_MISMATCH,
        // content of the identity file
        CARD_DATE_INVALID,
        CARD_EXPIRED,
        CARD_NOT_YET_VALID,
        NATIONAL_NUMBER_INVALID,
        CARD_NUMBER_INVALID,
        BIRTH_DATE_INVALID,
        GENDER_INVALID,
        // presence: the PIN-signed challenge
        CHALLENGE_SIGNATURE_MISSING,
        CHALLENGE_SIGNATURE_INVALID,
        AUTH_CERT_MISSING,
        AUTH_CERT_MALFORMED,
        AUTH_CERT_UNTRUSTED,
        AUTH_CERT_EXPIRED,
        AUTH_CERT_NOT_YET_VALID,
        AUTH_CERT_KEY_USAGE,
        /** Production rules: no Belgian eID authentication policy, or its card CA has no Belgian policy. */
        AUTH_CERT_POLICY,
        AUTH_CERT_NATIONAL_NUMBER_MISMATCH,
        /** A CRL or OCSP responder says the authentication certificate is revoked. */
        AUTH_CERT_REVOKED,
        /** No revocation status could be obtained, and the policy refuses such certificates. */
        AUTH_CERT_REVOCATION_UNKNOWN,
    }

    private final Reason reason;

    public ReadoutRejected(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
