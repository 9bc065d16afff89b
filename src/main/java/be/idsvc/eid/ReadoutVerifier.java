package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.*;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Decides whether a card readout is genuine, current and (optionally) present: the checks of
 * {@code docs/beid-readout.md}, each failing with its own {@link ReadoutRejected.Reason}.
 *
 * <p>Order matters: the National Register's certificate and signatures are checked before the
 * files are parsed, so the TLV parser only ever reads signed bytes; then the photo, the card's
 * dates and numbers; then the challenge.
 *
 * <p>Hot path: a verification costs the two file signature checks (plus the challenge signature
 * and the authentication certificate's when a challenge is given). The RRN certificate is the
 * same on millions of cards, so once it has been found to chain to an anchor with the right key
 * usage and subject, that result is remembered (only its validity period is rechecked, against
 * the clock). Thread-safe; share one instance per {@link EidTrust}.
 */
public final class ReadoutVerifier {
    /** Few RRN certificates exist (one per key generation); a bound stops a flood of distinct
     * trusted certificates from growing memory, however unlikely that is. */
    private static final int TRUSTED_RRN_CACHE_LIMIT = 64;
    private static final int DIGITAL_SIGNATURE = 0, NON_REPUDIATION = 1;

    private final EidTrust trust;
    private final Map<ByteBuffer, X509Certificate> trustedRrnCertificates = new ConcurrentHashMap<>();

    public ReadoutVerifier(EidTrust trust) {
        this.trust = trust;
    }

    public EidTrust trust() {
        return trust;
    }

    /**
     * Verifies a readout.
     *
     * @param challenge  the raw bytes of the fresh challenge this flow sent to the card, or null
     *                   when no presence proof was asked for
     * @param requirePin true to refuse a readout without a valid challenge signature; needs a challenge
     * @throws ReadoutRejected with the first failed check
     * @throws IllegalArgumentException if a PIN is required but no challenge is given (a caller bug)
     */
    public VerifiedCard verify(Readout readout, byte[] challenge, boolean requirePin) throws ReadoutRejected {
        if (requirePin && challenge == null) {
            throw new IllegalArgumentException("requirePin needs the challenge the card was asked to sign");
        }
        Instant now = trust.clock().instant();
        Date nowDate = Date.from(now);

        X509Certificate rrn = trustedRrnCertificate(readout.rrnCertificateFile(), nowDate);
        PublicKey rrnKey = rrn.getPublicKey();
        if (!FileSignature.verify(rrnKey, readout.identitySignatureFile(), readout.identityFile())) {
            throw new ReadoutRejected(IDENTITY_SIGNATURE_INVALID, "identity signature does not verify with the RRN key");
        }
        byte[] address = readout.addressFile();
        byte[] signedAddress = Arrays.copyOf(address, AddressFile.unpaddedLength(address));
        if (!FileSignature.verify(rrnKey, readout.addressSignatureFile(), signedAddress, readout.identitySignatureFile())) {
            throw new ReadoutRejected(ADDRESS_SIGNATURE_INVALID, "address signature does not verify with the RRN key");
        }

        IdentityFile identity = IdentityFile.parse(readout.identityFile());
        AddressFile addressFile = AddressFile.parse(address);
        checkPhoto(identity, readout.photoFile());
        checkCardDates(identity, LocalDate.ofInstant(now, EidTrust.CARD_ZONE));
        NationalNumber nationalNumber = NationalNumber.parse(identity.nationalNumber(), trust.strictNationalNumbers());
        if (trust.strictNationalNumbers()) {
            Boolean male = nationalNumber.sequenceSaysMale();
            if (male != null && male != (identity.gender() == Gender.MALE)) {
                throw new ReadoutRejected(NATIONAL_NUMBER_INVALID, "national number parity does not match the card's gender");
            }
        }
        CardNumber.check(identity.cardNumber());

        boolean challengeVerified = checkChallenge(readout, challenge, requirePin, nationalNumber, nowDate);
        return new VerifiedCard(identity, addressFile, nationalNumber, readout.photoFile().clone(), challengeVerified, rrn);
    }

    private X509Certificate trustedRrnCertificate(byte[] file, Date now) throws ReadoutRejected {
        int length = CardCertificate.length(file);
        if (length < 0) throw new ReadoutRejected(RRN_CERT_MALFORMED, "RRN certificate is not a DER certificate");
        X509Certificate cert = trustedRrnCertificates.get(ByteBuffer.wrap(file, 0, length));
        if (cert == null) {
            cert = CardCertificate.parse(file);
            if (cert == null) throw new ReadoutRejected(RRN_CERT_MALFORMED, "RRN certificate cannot be parsed");
            checkRrnCertificate(cert);
            if (trustedRrnCertificates.size() < TRUSTED_RRN_CACHE_LIMIT) {
                trustedRrnCertificates.put(ByteBuffer.wrap(Arrays.copyOf(file, length)), cert);
            }
        }
        try {
            cert.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new ReadoutRejected(RRN_CERT_EXPIRED, "RRN certificate expired " + cert.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new ReadoutRejected(RRN_CERT_NOT_YET_VALID, "RRN certificate valid from " + cert.getNotBefore().toInstant());
        }
        return cert;
    }

    /** The clock-independent checks, whose success may be remembered. */
    private void checkRrnCertificate(X509Certificate cert) throws ReadoutRejected {
        TrustAnchors anchors = trust.rrnAnchors();
        boolean production = trust.productionRules();
        // a pinned RRN certificate must be the anchor itself: one that merely carries its key could
        // claim any validity, key usage or name
        if (!anchors.contains(cert) && anchors.issuerOf(cert, production) == null) {
            throw new ReadoutRejected(RRN_CERT_UNTRUSTED, "RRN certificate (issuer " + cert.getIssuerX500Principal()
                    + ") is neither a configured RRN anchor nor signed by one that may issue certificates");
        }
        if (!FileSignature.supported(cert.getPublicKey())) {
            throw new ReadoutRejected(RRN_CERT_KEY_UNSUPPORTED, "RRN key algorithm " + cert.getPublicKey().getAlgorithm());
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage == null || usage.length <= NON_REPUDIATION || !usage[DIGITAL_SIGNATURE] || !usage[NON_REPUDIATION]) {
            throw new ReadoutRejected(RRN_CERT_KEY_USAGE, "RRN certificate lacks digitalSignature and nonRepudiation");
        }
        if (trust.expectedRrnSubject() == null && production) {
            throw new ReadoutRejected(RRN_CERT_SUBJECT, "no expected RRN subject is configured (eid.rrn_subject is required"
                    + " outside sandbox homes)");
        }
        if (trust.expectedRrnSubject() != null && !trust.expectedRrnSubject().equals(cert.getSubjectX500Principal())) {
            throw new ReadoutRejected(RRN_CERT_SUBJECT, "RRN certificate subject " + cert.getSubjectX500Principal()
                    + " is not the configured " + trust.expectedRrnSubject());
        }
    }

    private static void checkPhoto(IdentityFile identity, byte[] photo) throws ReadoutRejected {
        byte[] expected = identity.photoHashRaw();
        // re-signed cards pair a SHA-256 file signature with a SHA-1 photo hash: the hash length decides
        String algorithm = switch (expected.length) {
            case 20 -> "SHA-1";
            case 32 -> "SHA-256";
            case 48 -> "SHA-384";
            default -> throw new ReadoutRejected(PHOTO_HASH_LENGTH_UNKNOWN,
                    "photo hash (tag 17) of " + expected.length + " bytes matches no known algorithm");
        };
        if (!MessageDigest.isEqual(expected, FileSignature.digest(algorithm, photo))) {
            throw new ReadoutRejected(PHOTO_HASH_MISMATCH, "photo does not match its " + algorithm + " hash in the identity file");
        }
    }

    private static void checkCardDates(IdentityFile identity, LocalDate today) throws ReadoutRejected {
        if (today.isBefore(identity.validityBegin())) {
            throw new ReadoutRejected(CARD_NOT_YET_VALID, "card valid from " + identity.validityBegin());
        }
        if (today.isAfter(identity.validityEnd())) {
            throw new ReadoutRejected(CARD_EXPIRED, "card expired " + identity.validityEnd());
        }
    }

    private boolean checkChallenge(Readout readout, byte[] challenge, boolean requirePin,
            NationalNumber nationalNumber, Date now) throws ReadoutRejected {
        if (challenge == null) return false;
        byte[] signature = readout.authSignatureBytes();
        if (signature == null) {
            if (requirePin) throw new ReadoutRejected(CHALLENGE_SIGNATURE_MISSING, "no challenge signature (authsig) was sent");
            return false;
        }
        if (readout.authCertificateFile() == null) {
            throw new ReadoutRejected(AUTH_CERT_MISSING, "a challenge signature needs the authentication certificate (authcert)");
        }
        X509Certificate auth = CardCertificate.parse(readout.authCertificateFile());
        if (auth == null) throw new ReadoutRejected(AUTH_CERT_MALFORMED, "authentication certificate cannot be parsed");
        X509Certificate issuer = authCertificateIssuer(auth, readout.caCertificateFile(), now);
        if (issuer == null) {
            throw new ReadoutRejected(AUTH_CERT_UNTRUSTED, "authentication certificate (issuer " + auth.getIssuerX500Principal()
                    + ") does not lead to a configured citizen CA key");
        }
        try {
            auth.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new ReadoutRejected(AUTH_CERT_EXPIRED, "authentication certificate expired " + auth.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new ReadoutRejected(AUTH_CERT_NOT_YET_VALID, "authentication certificate valid from " + auth.getNotBefore().toInstant());
        }
        boolean[] usage = auth.getKeyUsage();
        if (usage == null || !usage[DIGITAL_SIGNATURE]) {
            throw new ReadoutRejected(AUTH_CERT_KEY_USAGE, "authentication certificate lacks digitalSignature");
        }
        if (trust.productionRules()) {
            if (!BelgianCertificatePolicies.isAuthenticationCertificate(auth)) {
                throw new ReadoutRejected(AUTH_CERT_POLICY, "authentication certificate carries no Belgian eID authentication policy "
                        + BelgianCertificatePolicies.policies(auth));
            }
            if (!BelgianCertificatePolicies.isBelgianCa(issuer)) {
                throw new ReadoutRejected(AUTH_CERT_POLICY, "the card CA " + issuer.getSubjectX500Principal()
                        + " carries no Belgian certificate policy " + BelgianCertificatePolicies.policies(issuer));
            }
        }
        if (!nationalNumber.value().equals(certificateNationalNumber(auth))) {
            throw new ReadoutRejected(AUTH_CERT_NATIONAL_NUMBER_MISMATCH,
                    "authentication certificate belongs to another national number than the identity file");
        }
        if (!ChallengeSignature.verify(auth.getPublicKey(), challenge, signature)) {
            throw new ReadoutRejected(CHALLENGE_SIGNATURE_INVALID, "challenge signature does not verify with the authentication key");
        }
        // last: the only check that may contact a server, made only for a genuine fresh signature
        trust.authCertificateRevocation().check(auth, issuer);
        return true;
    }

    /**
     * The certificate that issued {@code auth}, or null when none is trusted: a citizen CA anchor that
     * signed it, or the card's own CA certificate ({@code cacert}) that signed it and is itself an
     * anchor or signed by one (when the configuration names roots rather than citizen CAs). Every CA
     * on the way must be allowed to issue certificates ({@link TrustAnchors#mayIssue}). Tried in the
     * order that makes the expected configurations cost one or two signature checks. The issuer is
     * what a revocation check needs (OCSP names it).
     */
    private X509Certificate authCertificateIssuer(X509Certificate auth, byte[] caFile, Date now) {
        TrustAnchors anchors = trust.citizenCaAnchors();
        boolean production = trust.productionRules();
        X509Certificate anchor = anchors.namedIssuerOf(auth, production);
        if (anchor != null) return anchor;
        if (caFile != null) {
            X509Certificate ca = CardCertificate.parse(caFile);
            if (ca != null && ca.getSubjectX500Principal().equals(auth.getIssuerX500Principal())
                    && caLeadsToAnchor(ca, anchors, now, production) && TrustAnchors.signedBy(auth, ca.getPublicKey())) {
                return ca;
            }
        }
        return anchors.otherIssuerOf(auth, production);
    }

    private static boolean caLeadsToAnchor(X509Certificate ca, TrustAnchors anchors, Date now, boolean production) {
        if (ca.getBasicConstraints() < 0) return false; // not a CA certificate
        if (!TrustAnchors.mayIssue(ca, production)) return false;
        try {
            ca.checkValidity(now);
        } catch (GeneralSecurityException e) {
            return false;
        }
        return anchors.contains(ca) || anchors.issuerOf(ca, production) != null;
    }

    /** The national number in the subject: the SERIALNUMBER RDN of 11 digits (cards may carry
     * others, e.g. a document number on 2017 test cards). Null when there is none, or more than one. */
    static String certificateNationalNumber(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        String found = null;
        for (RDN rdn : subject.getRDNs(BCStyle.SERIALNUMBER)) {
            for (var atv : rdn.getTypesAndValues()) {
                if (!atv.getType().equals(BCStyle.SERIALNUMBER)) continue;
                ASN1Encodable v = atv.getValue();
                String s = v instanceof ASN1String str ? str.getString() : null;
                if (s != null && s.length() == 11 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    if (found != null && !found.equals(s)) return null; // two different numbers: ambiguous
                    found = s;
                }
            }
        }
        return found;
    }

    /** The card's authentication signature over the raw challenge bytes. */
    static final class ChallengeSignature {
        private ChallengeSignature() {}

        static boolean verify(PublicKey key, byte[] challenge, byte[] signature) {
            try {
                if (key instanceof RSAPublicKey) {
                    Signature s = Signature.getInstance("SHA256withRSA");
                    s.initVerify(key);
                    s.update(challenge);
                    return s.verify(signature);
                }
                if (key instanceof ECPublicKey ec) {
                    int der = FileSignature.derSignatureLength(signature);
                    int fieldBytes = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
                    // DER as the JCA writes it, or plain r||s as some middleware returns it
                    Signature s;
                    int length;
                    if (der > 0) { s = Ecdsa.der("SHA256"); length = der; }
                    else if (signature.length == 2 * fieldBytes) { s = Ecdsa.plain("SHA256"); length = signature.length; }
                    else return false;
                    s.initVerify(key);
                    s.update(challenge);
                    return s.verify(signature, 0, length);
                }
                return false;
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }
}
