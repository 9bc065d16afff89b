package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/**
 * Real readouts of public test cards, produced by other software than ours: the verifier must
 * accept them with the values the fixtures README lists.
 */
class FixtureReadoutTest {
    static final String V2017 = "beidconnect-virtual-2017", T2010 = "commons-eid-test-2010",
            EC = "commons-eid-v17-ec", ALICE = "commons-eid-alice-2009";

    /** Test roots as RRN anchors; test national numbers break the date/parity rules, so lenient. */
    static EidTrust.Builder testTrust() {
        return EidTrust.builder()
                .rrnAnchor(Fixtures.certificate(V2017, "root-ca.der"))
                .rrnAnchor(Fixtures.certificate(ALICE, "root-ca.der"))
                // the v17 EC root is not published: its RRN certificate's key is pinned instead
                .rrnAnchor(Fixtures.certificate(EC, "rrn-cert.der"))
                .citizenCaAnchor(Fixtures.certificate(V2017, "citizen-ca.der"))
                .citizenCaAnchor(Fixtures.certificate(ALICE, "citizen-ca.der"))
                .strictNationalNumbers(false)
                .productionRules(false);
    }

    static ReadoutVerifier verifierAt(String instant) {
        return new ReadoutVerifier(testTrust().clock(Fixtures.at(instant)).build());
    }

    @Test
    void beidconnectVirtual2017() throws Exception {
        VerifiedCard c = verifierAt("2020-06-01T10:00:00Z").verify(Fixtures.readout(V2017), null, false);
        assertEquals("98082100029", c.nationalNumber().value());
        assertEquals("Specimen eID 18-75", c.surname());
        assertEquals("Alice Bert", c.givenNames());
        assertEquals("C", c.thirdGivenNameInitial());
        assertEquals("1998-08-21", c.birthDate().toClaim());
        assertEquals("female", c.gender().claim());
        assertEquals("Specimenstraat 12", c.streetAndNumber());
        assertEquals("0000", c.postalCode());
        assertEquals("Utopia", c.municipality());
        assertEquals("000001014759", c.cardNumber());
        assertEquals(LocalDate.of(2017, 5, 30), c.cardValidityBegin());
        assertEquals(LocalDate.of(2027, 5, 30), c.cardValidityEnd());
        assertEquals("Leuven", c.cardDeliveryMunicipality());
        assertEquals("Leuven", c.placeOfBirth());
        assertEquals("BELG", c.nationality());
        assertEquals("1", c.documentType());
        assertEquals(0, c.specialStatus());
        assertArrayEquals(Fixtures.bytes(V2017, "photo.jpg"), c.photo());
        assertFalse(c.challengeVerified());
    }

    @Test
    void claimsOfTheVirtual2017Card() throws Exception {
        VerifiedCard c = verifierAt("2020-06-01T10:00:00Z").verify(Fixtures.readout(V2017), null, false);
        java.util.Map<String, Object> claims = c.claims();
        assertEquals(java.util.List.of("name", "given_name", "family_name", "birthdate", "gender", "address", "nationality",
                "place_of_birth", "card_number", "card_validity_begin", "card_validity_end", "card_delivery_municipality",
                "document_type", "national_number", "photo"), java.util.List.copyOf(claims.keySet()));
        assertEquals("Alice Bert Specimen eID 18-75", claims.get("name"));
        assertEquals("Alice Bert", claims.get("given_name"));
        assertEquals("Specimen eID 18-75", claims.get("family_name"));
        assertEquals("1998-08-21", claims.get("birthdate"));
        assertEquals("female", claims.get("gender"));
        assertEquals(java.util.Map.of("street_address", "Specimenstraat 12", "postal_code", "0000", "locality", "Utopia",
                "country", "BE"), claims.get("address"));
        assertEquals("BELG", claims.get("nationality"));
        assertEquals("Leuven", claims.get("place_of_birth"));
        assertEquals("000001014759", claims.get("card_number"));
        assertEquals("2017-05-30", claims.get("card_validity_begin"));
        assertEquals("2027-05-30", claims.get("card_validity_end"));
        assertEquals("Leuven", claims.get("card_delivery_municipality"));
        assertEquals("1", claims.get("document_type"));
        assertEquals("98082100029", claims.get("national_number"));
        assertArrayEquals(Fixtures.bytes(V2017, "photo.jpg"), java.util.Base64.getDecoder().decode((String) claims.get("photo")));
        assertEquals("VerifiedCard[documentType=1, challengeVerified=false]", c.toString());
    }

    @Test
    void signatureCertificateIsNoAuthenticationCertificate() throws Exception {
        // same person, same CA, but key usage nonRepudiation only
        Readout r = Fixtures.readout(V2017);
        Readout withSignCert = new Readout(r.identity(), r.address(), r.photo(), r.identitySignature(), r.addressSignature(),
                r.rrnCertificate(), r.signCertificate(), null, null, null, new byte[256]);
        assertEquals(AUTH_CERT_KEY_USAGE, assertThrows(ReadoutRejected.class,
                () -> verifierAt("2020-06-01T10:00:00Z").verify(withSignCert, new byte[] {1}, true)).reason());
    }

    @Test
    void commonsEidTest2010WithSha1() throws Exception {
        VerifiedCard c = verifierAt("2012-01-01T10:00:00Z").verify(Fixtures.readout(T2010), null, false);
        assertEquals("71715100070", c.nationalNumber().value());
        assertEquals("SPECIMEN", c.surname());
        assertEquals("Alice Geldigekaart", c.givenNames());
        assertEquals("1971-01-01", c.birthDate().toClaim());
        assertEquals("female", c.gender().claim());
        assertEquals("Meirplaats 1 bus 1", c.streetAndNumber());
        assertEquals("2000", c.postalCode());
        assertEquals("Antwerpen", c.municipality());
        assertEquals("Hamont-Achel", c.placeOfBirth());
        assertEquals("000000128019", c.cardNumber());
    }

    @Test
    void commonsEidV17EcWithPinnedRrnKey() throws Exception {
        VerifiedCard c = verifierAt("2025-01-01T10:00:00Z").verify(Fixtures.readout(EC), null, false);
        assertEquals("01050399963", c.nationalNumber().value());
        assertEquals(2001, c.nationalNumber().birthYear());
        assertEquals("Specimen", c.surname());
        assertEquals("Nora Angèle", c.givenNames());
        assertEquals("", c.thirdGivenNameInitial());
        assertEquals("2001-05-03", c.birthDate().toClaim());
        assertEquals("female", c.gender().claim());
        assertEquals("Specimenstraat 12", c.streetAndNumber());
        assertEquals("1000", c.postalCode());
        assertEquals("Brussel", c.municipality());
        assertEquals("000001241600", c.cardNumber());
    }

    @Test
    void commonsEidAlice2009() throws Exception {
        VerifiedCard c = verifierAt("2012-01-01T10:00:00Z").verify(Fixtures.readout(ALICE), null, false);
        assertEquals("71715100070", c.nationalNumber().value());
        assertEquals("SPECIMEN", c.surname());
        assertEquals("Alice Geldigekaart", c.givenNames());
        assertEquals("1971-01-01", c.birthDate().toClaim());
        assertEquals("female", c.gender().claim());
        assertEquals("Meirplaats 1 bus 1", c.streetAndNumber());
        assertEquals(LocalDate.of(2014, 7, 23), c.cardValidityEnd());
    }

    @Test
    void expiredCardsAreRejected() {
        assertReason(CARD_EXPIRED, verifierAt("2015-05-01T10:00:00Z"), T2010);
        assertReason(CARD_EXPIRED, verifierAt("2026-01-01T10:00:00Z"), ALICE);
        assertReason(CARD_EXPIRED, verifierAt("2027-05-31T10:00:00Z"), V2017);
        assertReason(CARD_NOT_YET_VALID, verifierAt("2022-07-04T10:00:00Z"), EC);
    }

    @Test
    void lastDayOfValidityInBelgiumStillCounts() throws Exception {
        // 23:30 UTC on 29 May 2027 is already 30 May, the last valid day, in Brussels
        assertEquals("98082100029", verifierAt("2027-05-29T23:30:00Z").verify(Fixtures.readout(V2017), null, false)
                .nationalNumber().value());
        assertReason(CARD_EXPIRED, verifierAt("2027-05-30T22:30:00Z"), V2017);
    }

    @Test
    void strictNationalNumberRulesRefuseTestCards() {
        ReadoutVerifier strict = new ReadoutVerifier(testTrust().strictNationalNumbers(true).clock(Fixtures.at("2020-01-01T00:00:00Z")).build());
        assertReason(NATIONAL_NUMBER_INVALID, strict, V2017);
    }

    @Test
    void productionRrnSubjectIsEnforcedWhenConfigured() {
        ReadoutVerifier v = new ReadoutVerifier(testTrust().expectedRrnSubject(EidTrust.PRODUCTION_RRN_SUBJECT)
                .clock(Fixtures.at("2020-01-01T00:00:00Z")).build());
        assertReason(RRN_CERT_SUBJECT, v, V2017);
    }

    @Test
    void testCardsAreUntrustedUnderAnotherRoot() {
        // only the 2009 test root: the 2017 card's RRN certificate does not lead to it
        ReadoutVerifier v = new ReadoutVerifier(EidTrust.builder().rrnAnchor(Fixtures.certificate(ALICE, "root-ca.der"))
                .strictNationalNumbers(false).clock(Fixtures.at("2020-01-01T00:00:00Z")).build());
        assertReason(RRN_CERT_UNTRUSTED, v, V2017);
        assertReason(RRN_CERT_UNTRUSTED, v, EC);
    }

    @Test
    void pinIsRequiredButTheReadoutHasNoChallengeSignature() throws Exception {
        ReadoutRejected e = assertThrows(ReadoutRejected.class,
                () -> verifierAt("2020-06-01T10:00:00Z").verify(Fixtures.readout(V2017), new byte[32], true));
        assertEquals(CHALLENGE_SIGNATURE_MISSING, e.reason());
        // without requirePin the same readout passes, marked as not proving presence
        assertFalse(verifierAt("2020-06-01T10:00:00Z").verify(Fixtures.readout(V2017), new byte[32], false).challengeVerified());
    }

    @Test
    void authCertificateWithTwoSerialNumbersMatchesTheNationalNumber() throws Exception {
        // the 2017 certificate has serialNumber=98082100029 and serialNumber="Specimen eID 18-75", no SURNAME:
        // reaching the signature check proves the trust and national-number checks passed
        Readout forged = Fixtures.readout(V2017).withAuthSignature(new byte[256]);
        ReadoutRejected e = assertThrows(ReadoutRejected.class,
                () -> verifierAt("2020-06-01T10:00:00Z").verify(forged, "challenge".getBytes(), true));
        assertEquals(CHALLENGE_SIGNATURE_INVALID, e.reason());
        assertEquals("98082100029", ReadoutVerifier.certificateNationalNumber(Fixtures.certificate(V2017, "auth-cert.der")));
    }

    @Test
    void authCertificateMayLeadToTheAnchorThroughTheCardsCaCertificate() throws Exception {
        // the anchor is the test root; the card's cacert (citizen CA, zero-padded) bridges to it
        ReadoutVerifier v = new ReadoutVerifier(EidTrust.builder().rrnAnchor(Fixtures.certificate(ALICE, "root-ca.der"))
                .citizenCaAnchor(Fixtures.certificate(ALICE, "root-ca.der")).strictNationalNumbers(false).productionRules(false)
                .clock(Fixtures.at("2012-01-01T00:00:00Z")).build());
        Readout forged = Fixtures.readout(ALICE).withAuthSignature(new byte[128]);
        assertEquals(CHALLENGE_SIGNATURE_INVALID,
                assertThrows(ReadoutRejected.class, () -> v.verify(forged, new byte[] {1}, true)).reason());
        ReadoutVerifier withoutCaCert = v;
        Readout noCa = new Readout(forged.identity(), forged.address(), forged.photo(), forged.identitySignature(),
                forged.addressSignature(), forged.rrnCertificate(), forged.authCertificate(), null, null, null, new byte[128]);
        assertEquals(AUTH_CERT_UNTRUSTED,
                assertThrows(ReadoutRejected.class, () -> withoutCaCert.verify(noCa, new byte[] {1}, true)).reason());
    }

    @Test
    void authCertificateOutsideItsValidityIsRefused() throws Exception {
        // on 27 July 2009 the card (from 23 July) is valid, its authentication certificate (from 28 July) not yet
        Readout forged = Fixtures.readout(ALICE).withAuthSignature(new byte[128]);
        ReadoutVerifier v = verifierAt("2009-07-27T00:00:00Z");
        assertEquals(AUTH_CERT_NOT_YET_VALID,
                assertThrows(ReadoutRejected.class, () -> v.verify(forged, new byte[] {1}, true)).reason());
    }

    @Test
    void everyFixtureFileTamperedByOneByteHasItsOwnReason() throws Exception {
        ReadoutVerifier v = verifierAt("2020-06-01T10:00:00Z");
        Readout r = Fixtures.readout(V2017);
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(v, Tamper.identity(r, 0x40)));
        assertEquals(ADDRESS_SIGNATURE_INVALID, reason(v, Tamper.address(r, 0x05)));
        assertEquals(PHOTO_HASH_MISMATCH, reason(v, Tamper.photo(r, 1000)));
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(v, Tamper.identitySignature(r, 100)));
        assertEquals(ADDRESS_SIGNATURE_INVALID, reason(v, Tamper.addressSignature(r, 100)));
        // the last byte of the RRN certificate is in the root's signature over it
        assertEquals(RRN_CERT_UNTRUSTED, reason(v, Tamper.rrnCertificate(r, r.rrnCertificate().length - 1)));
        assertEquals(RRN_CERT_MALFORMED, reason(v, Tamper.rrnCertificate(r, 0)));
        // the EC card's RRN key is pinned: a changed key byte is an untrusted key
        Readout ec = Fixtures.readout(EC);
        ReadoutVerifier vEc = verifierAt("2025-01-01T10:00:00Z");
        byte[] cert = ec.rrnCertificate();
        int keyByte = indexOf(cert, Fixtures.certificate(EC, "rrn-cert.der").getPublicKey().getEncoded()) + 60;
        assertEquals(RRN_CERT_UNTRUSTED, reason(vEc, Tamper.rrnCertificate(ec, keyByte)));
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(vEc, Tamper.identitySignature(ec, 20)));
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(vEc, Tamper.identitySignature(ec, 200)), "padding is checked too");
        assertEquals(ADDRESS_SIGNATURE_INVALID, reason(vEc, Tamper.address(ec, 2)));
    }

    @Test
    void signaturesSwappedBetweenCardsAreRefused() throws Exception {
        // the 2009 and 2010 cards share an RRN key: each one's signatures must still only fit its own files
        ReadoutVerifier v = verifierAt("2012-01-01T10:00:00Z");
        Readout a = Fixtures.readout(ALICE), b = Fixtures.readout(T2010);
        Readout swappedId = new Readout(a.identity(), a.address(), a.photo(), b.identitySignature(), a.addressSignature(), a.rrnCertificate());
        assertEquals(IDENTITY_SIGNATURE_INVALID, reason(v, swappedId));
        Readout swappedBoth = new Readout(a.identity(), a.address(), a.photo(), a.identitySignature(), b.addressSignature(), a.rrnCertificate());
        assertEquals(ADDRESS_SIGNATURE_INVALID, reason(v, swappedBoth));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    static ReadoutRejected.Reason reason(ReadoutVerifier v, Readout r) {
        return assertThrows(ReadoutRejected.class, () -> v.verify(r, null, false)).reason();
    }

    static void assertReason(ReadoutRejected.Reason expected, ReadoutVerifier v, String set) {
        assertEquals(expected, assertThrows(ReadoutRejected.class, () -> v.verify(Fixtures.readout(set), null, false)).reason());
    }
}
