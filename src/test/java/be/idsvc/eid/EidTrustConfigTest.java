package be.idsvc.eid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.config.ConfigurationException;
import be.idsvc.config.RevocationSettings;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.TestClock;
import be.idsvc.eid.virtual.VirtualCardIssuer;
import be.idsvc.eid.virtual.VirtualCardIssuer.Authority;
import be.idsvc.eid.virtual.VirtualCardIssuer.IssuedCard;
import be.idsvc.eid.virtual.VirtualCardIssuer.KeyType;
import be.idsvc.eid.virtual.VirtualPerson;
import be.idsvc.pki.Pem;

class EidTrustConfigTest {
    final TestClock clock = new TestClock();
    static final String RRN_DN = "CN=Test RRN, O=Test, C=BE";
    static Authority root, rrn, citizenCa, otherRoot;
    static IssuedCard card;

    @TempDir
    Path home;

    @BeforeAll
    static void pki() throws Exception {
        root = VirtualCardIssuer.demoRoot("CN=Test Root, C=BE", KeyType.EC_P384);
        rrn = VirtualCardIssuer.demoRrn(root, RRN_DN, KeyType.EC_P384);
        citizenCa = VirtualCardIssuer.demoCitizenCa(root, "CN=Test Citizen CA, C=BE", KeyType.EC_P384);
        otherRoot = VirtualCardIssuer.demoRoot("CN=Other Root, C=BE", KeyType.EC_P384);
        card = new VirtualCardIssuer(rrn, citizenCa).issue(new VirtualPerson());
    }

    private void settings(String extra) throws Exception {
        Files.writeString(home.resolve("idsvc.properties"), "issuer=https://localhost:9443\npublic_base_url=https://localhost:8443\n" + extra);
    }

    private void write(String relative, Object cert) throws Exception {
        Path f = home.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, Pem.encode(cert));
        // a distinct mtime, so the watcher sees the change however coarse the file system's clock is
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + (long) (Math.random() * 100_000)));
    }

    @Test
    void defaultsWithoutAnchorsOfferNoReadout() throws Exception {
        settings("");
        EidTrustConfig c = new EidTrustConfig(ServiceHome.at(home), clock);
        assertTrue(c.verifier().isEmpty(), "no RRN anchor, no eID readout");
        assertTrue(c.strictNationalNumbers());
        assertFalse(c.sandboxVirtualCards(), "virtual cards are off unless configured");
        assertNull(c.expectedRrnSubject());
    }

    @Test
    void loadsAnchorsAndSettingsAndVerifiesACard() throws Exception {
        settings("eid.rrn_subject=" + RRN_DN + "\neid.strict_national_numbers=false\neid.sandbox_virtual_cards=true\n");
        write("trust/eid/rrn-ca/root.pem", root.certificate());
        write("trust/eid/citizen-ca/citizen.pem", citizenCa.certificate());
        EidTrustConfig c = new EidTrustConfig(ServiceHome.at(home), clock);
        EidTrust t = c.trust().orElseThrow();
        assertEquals(new X500Principal(RRN_DN), t.expectedRrnSubject());
        assertFalse(t.strictNationalNumbers());
        assertTrue(c.sandboxVirtualCards());
        assertEquals(1, t.rrnAnchorCertificates().size());
        assertEquals(1, t.citizenCaAnchorCertificates().size());
        byte[] challenge = new byte[32];
        assertTrue(c.verifier().orElseThrow().verify(card.readoutSigning(challenge), challenge, true).challengeVerified());
        assertSame(c.verifier().orElseThrow(), c.verifier().orElseThrow(), "one verifier (and its cache) per loaded trust");
    }

    @Test
    void aWrongRrnSubjectRefusesTheCard() throws Exception {
        settings("eid.rrn_subject=CN=RRN, O=RRN, C=BE\n");
        write("trust/eid/rrn-ca/root.pem", root.certificate());
        ReadoutVerifier v = new EidTrustConfig(ServiceHome.at(home), clock).verifier().orElseThrow();
        ReadoutRejected e = assertThrows(ReadoutRejected.class, () -> v.verify(card.readout(), null, false));
        assertEquals(ReadoutRejected.Reason.RRN_CERT_SUBJECT, e.reason());
    }

    @Test
    void anchorChangesAreReloaded() throws Exception {
        settings("eid.rrn_subject=" + RRN_DN + "\n");
        write("trust/eid/rrn-ca/other.pem", otherRoot.certificate());
        EidTrustConfig c = new EidTrustConfig(ServiceHome.at(home), clock);
        ReadoutVerifier before = c.verifier().orElseThrow();
        assertEquals(ReadoutRejected.Reason.RRN_CERT_UNTRUSTED,
                assertThrows(ReadoutRejected.class, () -> before.verify(card.readout(), null, false)).reason());
        write("trust/eid/rrn-ca/root.pem", root.certificate());
        clock.passCheckInterval();
        ReadoutVerifier after = c.verifier().orElseThrow();
        assertEquals(2, after.trust().rrnAnchorCertificates().size());
        after.verify(card.readout(), null, false);
        Files.delete(home.resolve("trust/eid/rrn-ca/root.pem"));
        Files.delete(home.resolve("trust/eid/rrn-ca/other.pem"));
        clock.passCheckInterval();
        assertTrue(c.verifier().isEmpty(), "removing every anchor turns the readout off");
    }

    @Test
    void badConfigurationIsRefusedAtStartUp() throws Exception {
        settings("eid.strict_national_numbers=maybe\n");
        assertThrows(ConfigurationException.class, () -> new EidTrustConfig(ServiceHome.at(home), clock));
        settings("eid.rrn_subject=not a DN\n");
        assertThrows(ConfigurationException.class, () -> new EidTrustConfig(ServiceHome.at(home), clock));
        settings("");
        Files.createDirectories(home.resolve("trust/eid/rrn-ca"));
        Files.writeString(home.resolve("trust/eid/rrn-ca/broken.pem"), "not a certificate");
        // an anchor file that does not parse trusts nothing (and is logged); it does not stop the deployment
        EidTrustConfig c = new EidTrustConfig(ServiceHome.at(home), clock);
        assertTrue(c.verifier().isEmpty());
        assertEquals(java.util.Map.of(home.resolve("trust/eid/rrn-ca/broken.pem"), "no PEM certificate found"), c.brokenFiles());
        // the CLI's --trust DIR verifies against exactly that directory, or refuses
        assertThrows(ConfigurationException.class, () -> EidTrustConfig.fromTrustDir(home.resolve("trust/eid"), true, clock));
    }

    @Test
    void aTrustDirectoryForTheCli() throws Exception {
        Path dir = home.resolve("t");
        Files.createDirectories(dir.resolve("rrn-ca"));
        Files.writeString(dir.resolve("rrn-ca/root.pem"), Pem.encode(root.certificate()));
        EidTrustConfig c = EidTrustConfig.fromTrustDir(dir, false, clock);
        assertFalse(c.trust().orElseThrow().strictNationalNumbers());
        assertTrue(c.trust().orElseThrow().citizenCaAnchorCertificates().isEmpty());
    }

    @Test
    void revocationOfAuthenticationCertificates() throws Exception {
        settings("");
        assertEquals(new RevocationSettings(false, true, null, RevocationSettings.UnavailablePolicy.FAIL),
                new EidTrustConfig(ServiceHome.at(home), clock).revocationSettings(), "production default: OCSP of the certificate, fail closed");
        settings("eid.sandbox_virtual_cards=true\n");
        assertEquals(RevocationSettings.defaults(), new EidTrustConfig(ServiceHome.at(home), clock).revocationSettings(),
                "a sandbox home's demo CAs run no responder");
        settings("eid.revocation.ocsp=false\neid.revocation.crl.fetch=true\neid.revocation.unavailable=allow\n"
                + "eid.revocation.ocsp.responder=http://ocsp.example.org/eid\n");
        assertEquals(new RevocationSettings(true, false, java.net.URI.create("http://ocsp.example.org/eid"),
                RevocationSettings.UnavailablePolicy.ALLOW), new EidTrustConfig(ServiceHome.at(home), clock).revocationSettings());
        settings("eid.revocation.unavailable=maybe\n");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new EidTrustConfig(ServiceHome.at(home), clock));
        assertTrue(e.getMessage().endsWith("eid.revocation.unavailable must be fail or allow (found 'maybe')"), e.getMessage());
        assertNull(EidTrustConfig.fromTrustDir(home, true, clock).revocationSettings(), "the CLI's --trust DIR checks no revocation");
    }
}
