package be.idsvc.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.config.RevocationSettings;
import be.idsvc.config.RevocationSettings.UnavailablePolicy;
import be.idsvc.eid.EidRevocation;
import be.idsvc.eid.EidTrust;
import be.idsvc.eid.Readout;
import be.idsvc.eid.ReadoutRejected;
import be.idsvc.eid.ReadoutVerifier;
import be.idsvc.eid.VerifiedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualPerson;
import be.idsvc.pki.CertificateIssuer.Issued;

/**
 * Revocation of the cards' authentication certificates (eid.revocation.*), through the same checker
 * as client certificates, against real CRLs and a real loopback OCSP responder made with Bouncy
 * Castle. Here rather than beside EidRevocation because the test PKI (Pki) lives in this package.
 */
class EidAuthCertificateRevocationTest {
    static final byte[] CHALLENGE = "a fresh server challenge of 32 b".getBytes(StandardCharsets.US_ASCII);
    static Authority root, rrn, citizenCa;
    static IssuedCard card, other;

    @TempDir
    Path crlDir;
    private Pki.OcspServer responder;

    @BeforeAll
    static void pki() throws Exception {
        root = VirtualCardIssuer.demoRoot("CN=Revocation eID Root, C=BE", KeyType.EC_P384);
        rrn = VirtualCardIssuer.demoRrn(root, "CN=Revocation RRN, C=BE", KeyType.EC_P384);
        citizenCa = VirtualCardIssuer.demoCitizenCa(root, "CN=Revocation Citizen CA, C=BE", KeyType.EC_P384);
        VirtualCardIssuer issuer = new VirtualCardIssuer(rrn, citizenCa);
        card = issuer.issue(new VirtualPerson());
        other = issuer.issue(new VirtualPerson());
    }

    @BeforeEach
    void responder() throws Exception {
        responder = new Pki.OcspServer(new Issued(citizenCa.certificate(), citizenCa.privateKey(), List.of()));
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    /** Citizen CA anchor as configured in trust/eid/citizen-ca/; {@code anchor} may be the root instead. */
    private ReadoutVerifier verifier(RevocationSettings settings, X509Certificate anchor) {
        EidRevocation revocation = new EidRevocation(settings, crlDir, () -> List.of(anchor), Clock.systemUTC());
        return new ReadoutVerifier(EidTrust.builder().rrnAnchor(root.certificate()).citizenCaAnchor(anchor)
                .strictNationalNumbers(false).productionRules(false).authCertificateRevocation(revocation).build());
    }

    private static RevocationSettings crlOnly(UnavailablePolicy policy) {
        return new RevocationSettings(false, false, null, policy);
    }

    private RevocationSettings ocsp(UnavailablePolicy policy) {
        return new RevocationSettings(false, true, Pki.uri(responder.url()), policy);
    }

    private void importCrl(Instant nextUpdate, Map<BigInteger, Instant> revoked) throws Exception {
        Instant now = Instant.now();
        Files.writeString(crlDir.resolve("citizen.crl"),
                Pki.pem(Pki.crl(citizenCa.certificate(), citizenCa.privateKey(), now.minus(Duration.ofDays(2)), nextUpdate, revoked)));
    }

    private static ReadoutRejected.Reason refused(ReadoutVerifier v, IssuedCard c) {
        return assertThrows(ReadoutRejected.class, () -> v.verify(c.readoutSigning(CHALLENGE), CHALLENGE, true)).reason();
    }

    @Test
    void anImportedCrlListingTheAuthenticationCertificateRefusesItAndOnlyIt() throws Exception {
        importCrl(Instant.now().plus(Duration.ofDays(7)), Map.of(card.authenticationCertificate().getSerialNumber(), Instant.now()));
        ReadoutVerifier v = verifier(crlOnly(UnavailablePolicy.FAIL), citizenCa.certificate());
        assertEquals(ReadoutRejected.Reason.AUTH_CERT_REVOKED, refused(v, card));
        VerifiedCard ok = v.verify(other.readoutSigning(CHALLENGE), CHALLENGE, true);
        assertTrue(ok.challengeVerified(), "a card the CRL does not list is identified with its PIN");
    }

    @Test
    void anExpiredCrlGivesNoStatusRefusedByDefaultAllowedWhenConfigured() throws Exception {
        importCrl(Instant.now().minus(Duration.ofHours(1)), Map.of());
        assertEquals(ReadoutRejected.Reason.AUTH_CERT_REVOCATION_UNKNOWN,
                refused(verifier(crlOnly(UnavailablePolicy.FAIL), citizenCa.certificate()), card));
        assertTrue(verifier(crlOnly(UnavailablePolicy.ALLOW), citizenCa.certificate())
                .verify(card.readoutSigning(CHALLENGE), CHALLENGE, true).challengeVerified());
    }

    @Test
    void ocspRevokedAndGoodAnswersDecide() throws Exception {
        responder.statuses.put(card.authenticationCertificate().getSerialNumber(),
                new RevokedStatus(Date.from(Instant.now().minus(Duration.ofDays(1))), CRLReason.keyCompromise));
        ReadoutVerifier v = verifier(ocsp(UnavailablePolicy.FAIL), citizenCa.certificate());
        assertEquals(ReadoutRejected.Reason.AUTH_CERT_REVOKED, refused(v, card));
        assertTrue(v.verify(other.readoutSigning(CHALLENGE), CHALLENGE, true).challengeVerified());
        assertEquals(2, responder.requests.get());
    }

    @Test
    void ocspNamesTheCardsOwnCaWhenTheAnchorIsTheRoot() throws Exception {
        // trust/eid/citizen-ca/ holds the root; the card's cacert is the issuer OCSP must be asked about
        responder.statuses.put(card.authenticationCertificate().getSerialNumber(),
                new RevokedStatus(Date.from(Instant.now().minus(Duration.ofDays(1))), CRLReason.keyCompromise));
        ReadoutVerifier v = verifier(ocsp(UnavailablePolicy.FAIL), root.certificate());
        assertEquals(ReadoutRejected.Reason.AUTH_CERT_REVOKED, refused(v, card));
        assertTrue(v.verify(other.readoutSigning(CHALLENGE), CHALLENGE, true).challengeVerified());
    }

    @Test
    void productionDefaultsAskOcspAndRefuseWithoutAnswer() throws Exception {
        RevocationSettings production = EidRevocation.defaults(false);
        assertEquals(new RevocationSettings(false, true, null, UnavailablePolicy.FAIL), production);
        assertEquals(RevocationSettings.defaults(), EidRevocation.defaults(true), "sandbox homes: no source, demo CAs run no responder");
        // the virtual card's certificate names no responder: no status, refused
        assertEquals(ReadoutRejected.Reason.AUTH_CERT_REVOCATION_UNKNOWN, refused(verifier(production, citizenCa.certificate()), card));
        responder.close();
        assertEquals(ReadoutRejected.Reason.AUTH_CERT_REVOCATION_UNKNOWN,
                refused(verifier(ocsp(UnavailablePolicy.FAIL), citizenCa.certificate()), card), "responder down");
    }

    @Test
    void aForgedOrReplayedReadoutNeverReachesTheResponder() throws Exception {
        ReadoutVerifier v = verifier(ocsp(UnavailablePolicy.FAIL), citizenCa.certificate());
        Readout signedOtherChallenge = card.readoutSigning("another challenge, of another flow".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ReadoutRejected.Reason.CHALLENGE_SIGNATURE_INVALID,
                assertThrows(ReadoutRejected.class, () -> v.verify(signedOtherChallenge, CHALLENGE, true)).reason());
        assertEquals(0, responder.requests.get());
    }

    @Test
    void withoutPinNothingIsAsked() throws Exception {
        ReadoutVerifier v = verifier(ocsp(UnavailablePolicy.FAIL), citizenCa.certificate());
        responder.close();
        VerifiedCard c = v.verify(card.readout(), CHALLENGE, false);
        assertEquals(false, c.challengeVerified(), "no signature, no certificate to check: identified without PIN");
    }
}
