package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import be.idsvc.eid.virtual.CardOptions;
import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualCardIssuer.PhotoHash;
import be.idsvc.eid.virtual.VirtualPerson;

/** Cards issued here with demo keys: every supported variant verifies, every kind of damage has its own reason. */
class VirtualCardTest {
    static final String ROOT_DN = "CN=Demo eID Root CA, C=BE";
    static final String RRN_DN = "CN=Demo RRN, O=Demo RRN, C=BE";
    static final byte[] CHALLENGE = "a fresh server challenge, 32+ b".getBytes(StandardCharsets.US_ASCII);

    static Authority root, rrnRsa, rrnEc, citizenCa, lookAlikeRoot, lookAlikeRrn, otherCitizenCa;
    static VirtualCardIssuer rsaIssuer, ecIssuer;
    static ReadoutVerifier verifier;

    @BeforeAll
    static void demoPki() {
        root = VirtualCardIssuer.demoRoot(ROOT_DN, KeyType.EC_P384);
        rrnRsa = VirtualCardIssuer.demoRrn(root, RRN_DN, KeyType.RSA_2048);
        rrnEc = VirtualCardIssuer.demoRrn(root, RRN_DN, KeyType.EC_P384);
        citizenCa = VirtualCardIssuer.demoCitizenCa(root, "CN=Demo Citizen CA, C=BE", KeyType.EC_P384);
        // same names, other keys: what an attacker would build
        lookAlikeRoot = VirtualCardIssuer.demoRoot(ROOT_DN, KeyType.EC_P384);
        lookAlikeRrn = VirtualCardIssuer.demoRrn(lookAlikeRoot, RRN_DN, KeyType.EC_P384);
        otherCitizenCa = VirtualCardIssuer.demoCitizenCa(lookAlikeRoot, "CN=Demo Citizen CA, C=BE", KeyType.EC_P384);
        rsaIssuer = new VirtualCardIssuer(rrnRsa, citizenCa);
        ecIssuer = new VirtualCardIssuer(rrnEc, citizenCa);
        verifier = new ReadoutVerifier(trust().build());
    }

    static EidTrust.Builder trust() {
        return EidTrust.builder().rrnAnchor(root.certificate()).citizenCaAnchor(citizenCa.certificate())
                .expectedRrnSubject(new X500Principal(RRN_DN)).clock(Fixtures.at("2025-06-01T12:00:00Z"));
    }

    static CardOptions ecAuth() {
        return new CardOptions().authenticationKey(KeyType.EC_P384);
    }

    static ReadoutRejected.Reason reason(Readout r, byte[] challenge, boolean requirePin) {
        return assertThrows(ReadoutRejected.class, () -> verifier.verify(r, challenge, requirePin)).reason();
    }

    static ReadoutRejected.Reason reason(Readout r) {
        return reason(r, null, false);
    }

    // ---- what verifies ----

    @Test
    void rsaCardWithSha384PhotoHashAndPinChallenge() throws Exception {
        VirtualPerson person = new VirtualPerson();
        IssuedCard card = rsaIssuer.issue(person, new CardOptions().photoHash(PhotoHash.SHA384).authenticationKey(KeyType.RSA_2048));
        VerifiedCard c = verifier.verify(card.readoutSigning(CHALLENGE), CHALLENGE, true);
        assertTrue(c.challengeVerified());
        assertEquals(person.nationalNumber(), c.nationalNumber().value());
        assertEquals("Specimen", c.surname());
        assertEquals("Virtual Card", c.givenNames());
        assertEquals("1990-03-07", c.birthDate().toClaim());
        assertEquals("female", c.gender().claim());
        assertEquals("Specimenstraat 1", c.streetAndNumber());
        assertEquals("1000", c.postalCode());
        assertEquals("Specimenstad", c.municipality());
        assertEquals(LocalDate.of(2030, 1, 15), c.cardValidityEnd());
        assertEquals("1", c.documentType());
        assertArrayEquals(person.photo(), c.photo());
        // the readout really is padded like a card
        assertTrue(card.readout().rrnCertificate().length > rrnRsa.certificate().getEncoded().length);
        assertEquals(121, card.readout().address().length);
    }

    @Test
    void ecCardWithPaddedSignaturesTwoSerialNumbersAndNoSurnameRdn() throws Exception {
        VirtualPerson person = new VirtualPerson().gender("M").nationalNumber(VirtualCardIssuer.nationalNumber(LocalDate.of(2003, 11, 2), 17))
                .birthDate("2.NOV.2003");
        IssuedCard card = ecIssuer.issue(person, ecAuth().extraSerialNumber("Specimen eID 18-75").surnameRdn(false));
        assertEquals(256, card.readout().identitySignature().length);
        VerifiedCard c = verifier.verify(card.readoutSigning(CHALLENGE), CHALLENGE, true);
        assertTrue(c.challengeVerified());
        assertEquals("male", c.gender().claim());
        assertEquals("2003-11-02", c.birthDate().toClaim());
        assertEquals(2003, c.nationalNumber().birthYear());
    }

    @Test
    void unpaddedCardWithoutTagZero() throws Exception {
        IssuedCard card = ecIssuer.issue(new VirtualPerson(),
                ecAuth().padCertificates(false).padSignatures(false).fileStructureVersionTag(false).addressFileSize(0));
        assertTrue(verifier.verify(card.readoutSigning(CHALLENGE), CHALLENGE, true).challengeVerified());
    }

    @Test
    void oldRsaCardWithSha1EverywhereAndAResignedOneWithSha1PhotoHash() throws Exception {
        IssuedCard old = rsaIssuer.issue(new VirtualPerson(), ecAuth().rsaFileSignatureHash("SHA-1").photoHash(PhotoHash.SHA1));
        assertEquals("1990-03-07", verifier.verify(old.readout(), null, false).birthDate().toClaim());
        IssuedCard resigned = rsaIssuer.issue(new VirtualPerson(), ecAuth().photoHash(PhotoHash.SHA1));
        assertEquals("1990-03-07", verifier.verify(resigned.readout(), null, false).birthDate().toClaim());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "07 MAAR 1990|1990-03-07", "7 MARS 1990|1990-03-07", "07.MÄR.1990|1990-03-07", "07.MÄR. 1990|1990-03-07",
        "       1990|1990", "29 FEV 1992|1992-02-29", "1 AOUT 1990|1990-08-01", "01.DEZ. 1990|1990-12-01",
    })
    void everyBirthDateForm(String onCard, String claim) throws Exception {
        IssuedCard card = ecIssuer.issue(new VirtualPerson().birthDate(onCard), ecAuth());
        assertEquals(claim, verifier.verify(card.readout(), null, false).birthDate().toClaim());
    }

    @Test
    void postedFieldsRoundTrip() throws Exception {
        IssuedCard card = ecIssuer.issue(new VirtualPerson(), ecAuth());
        Map<String, String> fields = card.readoutSigning(CHALLENGE).toFields();
        fields.put("unrelated", "ignored");
        fields.put("signcert", "");
        assertTrue(verifier.verify(Readout.fromFields(fields), CHALLENGE, true).challengeVerified());
    }

    @Test
    void rrnCertificatePinnedByKeyAlsoWorks() throws Exception {
        ReadoutVerifier pinned = new ReadoutVerifier(EidTrust.builder().rrnAnchor(rrnEc.certificate()).expectedRrnSubject(new X500Principal(RRN_DN))
                .clock(Fixtures.at("2025-06-01T12:00:00Z")).build());
        assertFalse(pinned.verify(ecIssuer.issue(new VirtualPerson(), ecAuth()).readout(), null, false).challengeVerified());
    }

    // ---- presence ----

    @Test
    void challengeProblems() throws Exception {
        IssuedCard card = ecIssuer.issue(new VirtualPerson(), ecAuth());
        byte[] other = "another challenge".getBytes(StandardCharsets.US_ASCII);
        assertEquals(CHALLENGE_SIGNATURE_INVALID, reason(card.readoutSigning(other), CHALLENGE, true));
        assertEquals(CHALLENGE_SIGNATURE_INVALID, reason(card.readoutSigning(other), CHALLENGE, false),
                "a bad signature is refused even when the PIN is optional");
        assertEquals(CHALLENGE_SIGNATURE_MISSING, reason(card.readout(), CHALLENGE, true));
        assertFalse(verifier.verify(card.readout(), CHALLENGE, false).challengeVerified());
        assertThrows(IllegalArgumentException.class, () -> verifier.verify(card.readout(), null, true));
        // another card's valid signature over the same challenge, sent with this card's certificate
        IssuedCard otherCard = ecIssuer.issue(new VirtualPerson(), ecAuth());
        assertEquals(CHALLENGE_SIGNATURE_INVALID, reason(card.readout().withAuthSignature(otherCard.signChallenge(CHALLENGE)), CHALLENGE, true));
    }

    @Test
    void challengeSignedAsPlainRAndSVerifiesAndTamperedDoesNot() throws Exception {
        IssuedCard card = ecIssuer.issue(new VirtualPerson(), ecAuth());
        byte[] plain = plainRAndS(card.signChallenge(CHALLENGE), 48);
        assertTrue(verifier.verify(card.readout().withAuthSignature(plain), CHALLENGE, true).challengeVerified());
        byte[] tampered = plain.clone();
        tampered[60] ^= 1;
        assertEquals(CHALLENGE_SIGNATURE_INVALID, reason(card.readout().withAuthSignature(tampered), CHALLENGE, true));
        assertEquals(CHALLENGE_SIGNATURE_INVALID, reason(card.readout().withAuthSignature(Arrays.copyOf(plain, 95)), CHALLENGE, true),
                "neither DER nor r||s of the key's size");
        byte[] zeroS = plain.clone();
        Arrays.fill(zeroS, 48, 96, (byte) 0);
        assertEquals(CHALLENGE_SIGNATURE_INVALID, reason(card.readout().withAuthSignature(zeroS), CHALLENGE, true), "s = 0 is out of range");
    }

    /** A DER ECDSA signature as r||s, each left-padded to {@code size} bytes. */
    private static byte[] plainRAndS(byte[] der, int size) {
        org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
        byte[] out = new byte[2 * size];
        for (int i = 0; i < 2; i++) {
            byte[] v = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(size,
                    org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(i)).getValue());
            System.arraycopy(v, 0, out, i * size, size);
        }
        return out;
    }

    @Test
    void authenticationCertificateProblems() throws Exception {
        VirtualPerson person = new VirtualPerson();
        IssuedCard mismatch = ecIssuer.issue(person, ecAuth().authCertificateNationalNumber(
                VirtualCardIssuer.nationalNumber(LocalDate.of(1990, 3, 7), 4)));
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> verifier.verify(mismatch.readoutSigning(CHALLENGE), CHALLENGE, true));
        assertEquals(AUTH_CERT_NATIONAL_NUMBER_MISMATCH, e.reason());
        assertFalse(e.getMessage().contains(person.nationalNumber()), "no national number in the message");
        assertFalse(e.getMessage().contains("Specimen"), "no name in the message");

        IssuedCard foreign = new VirtualCardIssuer(rrnEc, otherCitizenCa).issue(person, ecAuth());
        assertEquals(AUTH_CERT_UNTRUSTED, reason(foreign.readoutSigning(CHALLENGE), CHALLENGE, true));

        IssuedCard card = ecIssuer.issue(person, ecAuth());
        Readout r = card.readoutSigning(CHALLENGE);
        Readout noCert = new Readout(r.identity(), r.address(), r.photo(), r.identitySignature(), r.addressSignature(),
                r.rrnCertificate(), null, null, r.caCertificate(), null, r.authSignature());
        assertEquals(AUTH_CERT_MISSING, reason(noCert, CHALLENGE, true));
        Readout garbageCert = new Readout(r.identity(), r.address(), r.photo(), r.identitySignature(), r.addressSignature(),
                r.rrnCertificate(), new byte[] {0x30, 0x03, 1, 2, 3}, null, null, null, r.authSignature());
        assertEquals(AUTH_CERT_MALFORMED, reason(garbageCert, CHALLENGE, true));

        // the card was valid from 15 January 2020; its authentication certificate too, not before
        ReadoutVerifier early = new ReadoutVerifier(trust().clock(Fixtures.at("2020-01-14T12:00:00Z")).build());
        assertEquals(CARD_NOT_YET_VALID, assertThrows(ReadoutRejected.class, () -> early.verify(r, CHALLENGE, true)).reason());
        IssuedCard shortCert = ecIssuer.issue(person, ecAuth().authCertificateValidity(LocalDate.of(2020, 1, 15), LocalDate.of(2025, 1, 15)));
        assertEquals(AUTH_CERT_EXPIRED, reason(shortCert.readoutSigning(CHALLENGE), CHALLENGE, true));
        IssuedCard longCard = ecIssuer.issue(new VirtualPerson().validity(LocalDate.of(2010, 1, 1), LocalDate.of(2030, 1, 1)), ecAuth());
        ReadoutVerifier late = new ReadoutVerifier(trust().clock(Fixtures.at("2029-12-31T12:00:00Z")).build());
        assertTrue(late.verify(longCard.readoutSigning(CHALLENGE), CHALLENGE, true).challengeVerified());
    }

    @Test
    void authenticationCertificateThroughTheCardsCaCertificateWhenOnlyTheRootIsConfigured() throws Exception {
        ReadoutVerifier rootOnly = new ReadoutVerifier(EidTrust.builder().rrnAnchor(root.certificate()).citizenCaAnchor(root.certificate())
                        .expectedRrnSubject(new X500Principal(RRN_DN)).clock(Fixtures.at("2025-06-01T12:00:00Z")).build());
        IssuedCard card = ecIssuer.issue(new VirtualPerson(), ecAuth());
        Readout r = card.readoutSigning(CHALLENGE);
        assertTrue(rootOnly.verify(r, CHALLENGE, true).challengeVerified());
        // the card's cacert is what bridges to the root: without it the path is incomplete
        Readout withoutCa = new Readout(r.identity(), r.address(), r.photo(), r.identitySignature(), r.addressSignature(),
                r.rrnCertificate(), r.authCertificate(), null, null, null, r.authSignature());
        assertEquals(AUTH_CERT_UNTRUSTED, assertThrows(ReadoutRejected.class, () -> rootOnly.verify(withoutCa, CHALLENGE, true)).reason());
        // a look-alike CA certificate with the citizen CA's name does not bridge either
        Readout fakeCa = new Readout(r.identity(), r.address(), r.photo(), r.identitySignature(), r.addressSignature(),
                r.rrnCertificate(), r.authCertificate(), null, otherCitizenCa.certificate().getEncoded(), null, r.authSignature());
        assertEquals(AUTH_CERT_UNTRUSTED, assertThrows(ReadoutRejected.class, () -> rootOnly.verify(fakeCa, CHALLENGE, true)).reason());
    }

    // ---- trust in the National Register certificate ----

    @Test
    void rrnCertificateFromALookAlikeRootIsUntrusted() throws Exception {
        Readout forged = new VirtualCardIssuer(lookAlikeRrn, citizenCa).issue(new VirtualPerson(), ecAuth()).readout();
        assertEquals(lookAlikeRrn.certificate().getIssuerX500Principal(), rrnEc.certificate().getIssuerX500Principal());
        assertEquals(lookAlikeRrn.certificate().getSubjectX500Principal(), rrnEc.certificate().getSubjectX500Principal());
        assertEquals(RRN_CERT_UNTRUSTED, reason(forged));
    }

    @Test
    void rrnCertificateChecks() throws Exception {
        Readout r = ecIssuer.issue(new VirtualPerson(), ecAuth()).readout();
        ReadoutVerifier after = new ReadoutVerifier(trust().clock(Fixtures.at("2100-06-01T00:00:00Z")).build());
        assertEquals(RRN_CERT_EXPIRED, assertThrows(ReadoutRejected.class, () -> after.verify(r, null, false)).reason());
        ReadoutVerifier before = new ReadoutVerifier(trust().clock(Fixtures.at("1999-06-01T00:00:00Z")).build());
        assertEquals(RRN_CERT_NOT_YET_VALID, assertThrows(ReadoutRejected.class, () -> before.verify(r, null, false)).reason());
        ReadoutVerifier production = new ReadoutVerifier(trust().expectedRrnSubject(EidTrust.PRODUCTION_RRN_SUBJECT).build());
        assertEquals(RRN_CERT_SUBJECT, assertThrows(ReadoutRejected.class, () -> production.verify(r, null, false)).reason());
        // a CA certificate (keyCertSign) is no file-signing RRN certificate
        Readout byCa = new VirtualCardIssuer(citizenCa, citizenCa).issue(new VirtualPerson(), ecAuth()).readout();
        assertEquals(RRN_CERT_KEY_USAGE, reason(byCa));
        assertEquals(RRN_CERT_MALFORMED, reason(replace(r, 5, new byte[] {0x30, (byte) 0x82, 0x7f, 0x7f, 0})));
    }

    // ---- damage ----

    @Test
    void everyFileTamperedByOneByte() throws Exception {
        for (VirtualCardIssuer issuer : new VirtualCardIssuer[] {rsaIssuer, ecIssuer}) {
            Readout r = issuer.issue(new VirtualPerson(), ecAuth()).readout();
            assertEquals(IDENTITY_SIGNATURE_INVALID, reason(Tamper.identity(r, 30)));
            assertEquals(ADDRESS_SIGNATURE_INVALID, reason(Tamper.address(r, 3)));
            assertEquals(PHOTO_HASH_MISMATCH, reason(Tamper.photo(r, r.photo().length / 2)));
            assertEquals(IDENTITY_SIGNATURE_INVALID, reason(Tamper.identitySignature(r, 40)));
            assertEquals(ADDRESS_SIGNATURE_INVALID, reason(Tamper.addressSignature(r, 40)));
            int certLength = CardCertificate.length(r.rrnCertificate());
            assertEquals(RRN_CERT_UNTRUSTED, reason(Tamper.rrnCertificate(r, certLength - 3)));
        }
    }

    @Test
    void filesSwappedBetweenTwoCards() throws Exception {
        Readout a = rsaIssuer.issue(new VirtualPerson(), ecAuth()).readout();
        Readout b = rsaIssuer.issue(new VirtualPerson().surname("Other").photo(new byte[] {1, 2, 3}), ecAuth()).readout();
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(replace(a, 3, b.identitySignature())));
        assertEquals(ADDRESS_SIGNATURE_INVALID, reason(replace(a, 4, b.addressSignature())));
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(replace(a, 0, b.identity())));
        assertEquals(PHOTO_HASH_MISMATCH, reason(replace(a, 2, b.photo())));
        // an RSA-signed card presented with the EC RRN certificate
        Readout ec = ecIssuer.issue(new VirtualPerson(), ecAuth()).readout();
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(replace(a, 5, ec.rrnCertificate())));
    }

    @Test
    void cardDates() throws Exception {
        Readout expired = ecIssuer.issue(new VirtualPerson().validity(LocalDate.of(2014, 1, 1), LocalDate.of(2024, 1, 1)), ecAuth()).readout();
        assertEquals(CARD_EXPIRED, reason(expired));
        Readout future = ecIssuer.issue(new VirtualPerson().validity(LocalDate.of(2025, 6, 2), LocalDate.of(2035, 6, 2)), ecAuth()).readout();
        assertEquals(CARD_NOT_YET_VALID, reason(future));
    }

    @Test
    void numbersAndFieldsOnTheCard() throws Exception {
        String nn = new VirtualPerson().nationalNumber();
        String badChecksum = nn.substring(0, 9) + String.format("%02d", (Integer.parseInt(nn.substring(9)) + 1) % 100);
        assertEquals(NATIONAL_NUMBER_INVALID, reason(ecIssuer.issue(new VirtualPerson().nationalNumber(badChecksum), ecAuth()).readout()));
        assertEquals(NATIONAL_NUMBER_INVALID, reason(ecIssuer.issue(new VirtualPerson().gender("M"), ecAuth()).readout()),
                "strict: an even sequence is a woman's");
        assertEquals(CARD_NUMBER_INVALID, reason(ecIssuer.issue(new VirtualPerson().cardNumber("000012345699"), ecAuth()).readout()));
        assertEquals(CARD_NUMBER_INVALID, reason(ecIssuer.issue(new VirtualPerson().cardNumber("b 0123456789"), ecAuth()).readout()));
        VerifiedCard foreigner = verifier.verify(ecIssuer.issue(new VirtualPerson().cardNumber("B0123456789").documentType("11"),
                ecAuth()).readout(), null, false);
        assertEquals("B0123456789", foreigner.cardNumber(), "a residence card's number: a letter, then digits");
        assertEquals("11", foreigner.documentType());
        assertEquals(GENDER_INVALID, reason(ecIssuer.issue(new VirtualPerson().gender("X"), ecAuth()).readout()));
        assertEquals(BIRTH_DATE_INVALID, reason(ecIssuer.issue(new VirtualPerson().birthDate("07 MRT 1990"), ecAuth()).readout()));
    }

    @Test
    void brokenButSignedFileStructure() throws Exception {
        VirtualPerson p = new VirtualPerson();
        CardOptions o = ecAuth();
        byte[] id = VirtualCardIssuer.identityFile(p, o);
        byte[] addr = VirtualCardIssuer.addressFile(p, 121);

        byte[] duplicate = concat(id, new byte[] {7, 1, 'X'});
        assertEquals(TLV_DUPLICATE_TAG, reason(ecIssuer.signFiles(duplicate, addr, p.photo(), null, o)));
        byte[] overrun = concat(id, new byte[] {30, 0x7f, 'X'});
        assertEquals(TLV_LENGTH_OVERRUN, reason(ecIssuer.signFiles(overrun, addr, p.photo(), null, o)));
        byte[] addrOverrun = Arrays.copyOf(new byte[] {1, (byte) 0x81, 0x00, 'X'}, 121); // 128 bytes declared, 117 left
        assertEquals(TLV_LENGTH_OVERRUN, reason(ecIssuer.signFiles(id, addrOverrun, p.photo(), null, o)));

        assertEquals(IDENTITY_FIELD_MISSING, reason(ecIssuer.signFiles(rewrite(id, 6, null), addr, p.photo(), null, o)));
        assertEquals(PHOTO_HASH_LENGTH_UNKNOWN, reason(ecIssuer.signFiles(rewrite(id, 17, new byte[16]), addr, p.photo(), null, o)));
        assertEquals(CARD_DATE_INVALID, reason(ecIssuer.signFiles(rewrite(id, 4, "2030-01-15".getBytes(StandardCharsets.US_ASCII)),
                addr, p.photo(), null, o)));
        byte[] noMunicipality = Arrays.copyOf(new byte[] {1, 1, 'X', 2, 1, '1'}, 121);
        assertEquals(ADDRESS_FIELD_MISSING, reason(ecIssuer.signFiles(id, noMunicipality, p.photo(), null, o)));
    }

    // ---- what the browser posted ----

    @Test
    void postedFieldProblems() throws Exception {
        Map<String, String> good = ecIssuer.issue(new VirtualPerson(), ecAuth()).readout().toFields();
        for (String required : new String[] {"id", "addr", "photo", "idsig", "addrsig", "rrncert"}) {
            Map<String, String> f = new LinkedHashMap<>(good);
            f.remove(required);
            ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> Readout.fromFields(f));
            assertEquals(MISSING_FIELD, e.reason());
            assertEquals("MISSING_FIELD: field " + required + " is required", e.getMessage());
            f.put(required, "");
            assertEquals(MISSING_FIELD, assertThrows(ReadoutRejected.class, () -> Readout.fromFields(f)).reason());
        }
        for (String garbage : new String[] {"not base64!", "AAA=A", "Zm9v\nYmFy", "Zm9v-_"}) {
            Map<String, String> f = new LinkedHashMap<>(good);
            f.put("idsig", garbage);
            assertEquals(MALFORMED_BASE64, assertThrows(ReadoutRejected.class, () -> Readout.fromFields(f)).reason(), garbage);
        }
        Map<String, String> optionalGarbage = new LinkedHashMap<>(good);
        optionalGarbage.put("authsig", "%%%");
        assertEquals(MALFORMED_BASE64, assertThrows(ReadoutRejected.class, () -> Readout.fromFields(optionalGarbage)).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo", "id", "addr", "rrncert", "authcert", "authsig"})
    void oversizedFields(String field) {
        int limit = field.equals("photo") ? Readout.MAX_PHOTO_BYTES : Readout.MAX_FILE_BYTES;
        Map<String, String> f = new LinkedHashMap<>();
        for (String name : new String[] {"id", "addr", "photo", "idsig", "addrsig", "rrncert"}) f.put(name, "AQID");
        f.put(field, java.util.Base64.getEncoder().encodeToString(new byte[limit + 1]));
        assertEquals(FIELD_TOO_LARGE, assertThrows(ReadoutRejected.class, () -> Readout.fromFields(f)).reason());
        f.put(field, java.util.Base64.getEncoder().encodeToString(new byte[limit]));
        assertDoesNotThrow(() -> Readout.fromFields(f), "exactly at the limit is allowed");
        byte[] big = new byte[limit + 1];
        byte[] small = {1};
        assertEquals(FIELD_TOO_LARGE, assertThrows(ReadoutRejected.class, () -> new Readout(
                field.equals("id") ? big : small, field.equals("addr") ? big : small, field.equals("photo") ? big : small,
                small, small, field.equals("rrncert") ? big : small, field.equals("authcert") ? big : null,
                null, null, null, field.equals("authsig") ? big : null)).reason());
    }

    // ---- helpers ----

    /** The readout with file {@code index} (0 id, 1 addr, 2 photo, 3 idsig, 4 addrsig, 5 rrncert) replaced. */
    static Readout replace(Readout r, int index, byte[] value) throws ReadoutRejected {
        byte[][] f = {r.identity(), r.address(), r.photo(), r.identitySignature(), r.addressSignature(), r.rrnCertificate()};
        f[index] = value;
        return new Readout(f[0], f[1], f[2], f[3], f[4], f[5], r.authCertificate(), r.signCertificate(),
                r.caCertificate(), r.rootCertificate(), r.authSignature());
    }

    /** The identity file with one tag's value replaced (or dropped when null), other tags unchanged. */
    static byte[] rewrite(byte[] identity, int tag, byte[] value) throws ReadoutRejected {
        TlvParser.Tlv tlv = TlvParser.parse(identity, "test");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int t = 0; t < 256; t++) {
            byte[] v = t == tag ? value : tlv.bytes(t);
            if (v != null) VirtualCardIssuer.tlv(out, t, v);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
