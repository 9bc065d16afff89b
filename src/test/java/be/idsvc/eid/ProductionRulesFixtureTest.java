package be.idsvc.eid;

import static be.idsvc.eid.ReadoutRejected.Reason.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

import be.idsvc.pki.Pem;

/**
 * The production certificate rules (issue 13 defect 12) against real certificates: the public
 * test cards and the production Belgian roots, citizen and foreigner CAs and RRN certificate.
 */
class ProductionRulesFixtureTest {
    static final String V2017 = "beidconnect-virtual-2017", ALICE = "commons-eid-alice-2009";

    static X509Certificate production(String file) throws Exception {
        return Pem.certificates(Files.readString(Path.of("server-config/eid-trust").resolve(file))).get(0);
    }

    static X509Certificate resource(String file) throws Exception {
        try (var in = ProductionRulesFixtureTest.class.getResourceAsStream("/beid/belgium-roots/" + file)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void theProductionCasAndRootsMayIssueAndCarryBelgianPolicies() throws Exception {
        for (String f : List.of("citizen-ca/CitizenCA202002.pem", "citizen-ca/ForeignerCA202001.pem", "rrn-ca/belgiumrca3.pem",
                "rrn-ca/belgiumrca4.pem", "rrn-ca/belgiumrca6.pem")) {
            assertTrue(TrustAnchors.mayIssue(production(f), true), f);
        }
        // Citizen CA 202002 and Foreigner CA 202001 (under Root CA6) carry anyPolicy; the CA3/CA4-era ones 2.16.56.x
        assertTrue(BelgianCertificatePolicies.isBelgianCa(production("citizen-ca/CitizenCA202002.pem")));
        assertTrue(BelgianCertificatePolicies.isBelgianCa(production("citizen-ca/ForeignerCA202001.pem")));
        assertTrue(BelgianCertificatePolicies.isBelgianCa(production("rrn-ca/belgiumrca4.pem")));
        // an RRN certificate signs files, not certificates
        assertFalse(TrustAnchors.mayIssue(resource("rrn-under-rootca2.crt"), true));
        assertFalse(TrustAnchors.mayIssue(resource("rrn-under-rootca2.crt"), false));
    }

    @Test
    void theProductionRrnCertificateIsIssuedByRootCa2UnderProductionRulesAndNotByAnyOtherRoot() throws Exception {
        X509Certificate rrn = resource("rrn-under-rootca2.crt");
        X509Certificate ca2 = resource("belgiumrca2.pem");
        assertSame(ca2, new TrustAnchors(List.of(production("rrn-ca/belgiumrca3.pem"), ca2)).issuerOf(rrn, true));
        assertNull(new TrustAnchors(List.of(production("rrn-ca/belgiumrca3.pem"), production("rrn-ca/belgiumrca4.pem"))).issuerOf(rrn, true));
        // pinned: only the very certificate
        assertTrue(new TrustAnchors(List.of(rrn)).contains(rrn));
        assertNull(new TrustAnchors(List.of(rrn)).issuerOf(rrn, false), "a pinned RRN certificate issues nothing");
    }

    @Test
    void theTestCardsCertificatesFollowTheBelgianPolicies() {
        X509Certificate auth2017 = Fixtures.certificate(V2017, "auth-cert.der");
        assertTrue(BelgianCertificatePolicies.isAuthenticationCertificate(auth2017), "2.16.56.12.1.1.2.2");
        assertTrue(BelgianCertificatePolicies.isBelgianCa(Fixtures.certificate(V2017, "citizen-ca.der")), "2.16.56.12.1.1.2");
        assertTrue(TrustAnchors.mayIssue(Fixtures.certificate(V2017, "citizen-ca.der"), true));
        // the 2009 test PKI used a private test policy, not an eID authentication policy
        assertFalse(BelgianCertificatePolicies.isAuthenticationCertificate(Fixtures.certificate(ALICE, "auth-cert.der")));
        assertEquals(java.util.Set.of("2.16.56.1.40.40.40.1"), BelgianCertificatePolicies.policies(Fixtures.certificate(ALICE, "auth-cert.der")));
    }

    /** The 2017 test card under production rules (its RRN subject configured): every certificate check passes. */
    @Test
    void theVirtual2017CardPassesTheProductionRules() throws Exception {
        EidTrust trust = EidTrust.builder().rrnAnchor(Fixtures.certificate(V2017, "root-ca.der"))
                .citizenCaAnchor(Fixtures.certificate(V2017, "citizen-ca.der"))
                .expectedRrnSubject(new X500Principal("CN=eID TEST RRN, O=TEST, C=BE")).strictNationalNumbers(false)
                .clock(Fixtures.at("2020-06-01T10:00:00Z")).build();
        assertTrue(trust.productionRules(), "the default");
        ReadoutVerifier v = new ReadoutVerifier(trust);
        assertEquals("98082100029", v.verify(Fixtures.readout(V2017), null, false).nationalNumber().value());
        // the authentication certificate passes issuer, key usage and policy; only the (absent) card signature fails
        Readout forged = Fixtures.readout(V2017).withAuthSignature(new byte[256]);
        assertEquals(CHALLENGE_SIGNATURE_INVALID, assertThrows(ReadoutRejected.class, () -> v.verify(forged, new byte[] {1}, true)).reason());
        // with the root as the only citizen anchor, through the card's own cacert
        ReadoutVerifier viaCaCert = new ReadoutVerifier(trust.toBuilder().citizenCaAnchorsCleared().citizenCaAnchor(
                Fixtures.certificate(V2017, "root-ca.der")).build());
        assertEquals(CHALLENGE_SIGNATURE_INVALID, assertThrows(ReadoutRejected.class,
                () -> viaCaCert.verify(forged, new byte[] {1}, true)).reason());
    }

    @Test
    void theAlice2009CardIsATestCardUnderProductionRules() throws Exception {
        EidTrust trust = EidTrust.builder().rrnAnchor(Fixtures.certificate(ALICE, "root-ca.der"))
                .citizenCaAnchor(Fixtures.certificate(ALICE, "citizen-ca.der"))
                .expectedRrnSubject(new X500Principal("CN=test RRN, O=test RRN, C=BE")).strictNationalNumbers(false)
                .clock(Fixtures.at("2012-01-01T10:00:00Z")).build();
        Readout forged = Fixtures.readout(ALICE).withAuthSignature(new byte[128]);
        assertEquals(AUTH_CERT_POLICY, assertThrows(ReadoutRejected.class,
                () -> new ReadoutVerifier(trust).verify(forged, new byte[] {1}, true)).reason());
        // as test cards (no production rules) its certificates are fine
        assertEquals(CHALLENGE_SIGNATURE_INVALID, assertThrows(ReadoutRejected.class,
                () -> new ReadoutVerifier(trust.toBuilder().productionRules(false).build()).verify(forged, new byte[] {1}, true)).reason());
    }
}
