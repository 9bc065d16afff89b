package be.idsvc.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.config.RevocationSettings;
import be.idsvc.config.RevocationSettings.UnavailablePolicy;
import be.idsvc.config.TestClock;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.revocation.RevocationResult.Status;

/** CRLs imported in trust/crl/: verified against trust/client-ca/, watched for changes. */
class ImportedCrlTest {
    final TestClock clock = new TestClock();
    @TempDir
    Path dir;

    private final Issued ca = CertificateIssuer.certificateAuthority(Pki.CA_DN);
    private final Set<TrustAnchor> anchors = Set.of(new TrustAnchor(ca.certificate(), null));
    private final Issued alice = Pki.client(ca, "CN=client-a,O=Test,C=BE", null, null);
    private final Issued bob = Pki.client(ca, "CN=client-b,O=Test,C=BE", null, null);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Instant revokedAt = now.minus(Duration.ofDays(2));
    private Path crlDir;
    private Pki.LogCapture log;

    @BeforeEach
    void setUp() throws Exception {
        crlDir = Files.createDirectories(dir.resolve("trust/crl"));
        log = Pki.LogCapture.revocation();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private RevocationChecker checker(UnavailablePolicy policy) {
        return new RevocationChecker(new RevocationSettings(false, false, null, policy), crlDir, () -> anchors, clock);
    }

    private X509CRL crlRevokingBob() {
        return Pki.crl(ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)), Map.of(bob.certificate().getSerialNumber(), revokedAt));
    }

    @Test
    void derCrlTellsGoodFromRevoked() throws Exception {
        Files.write(crlDir.resolve("ca.crl"), crlRevokingBob().getEncoded());
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);

        RevocationResult good = checker.check(alice.certificate(), ca.certificate());
        assertEquals(Status.GOOD, good.status());
        assertFalse(good.byConfiguration());
        assertEquals("imported CRL ca.crl", good.detail());

        RevocationResult revoked = checker.check(bob.certificate(), ca.certificate());
        assertEquals(Status.REVOKED, revoked.status());
        assertEquals("keyCompromise", revoked.reason());
        assertEquals(revokedAt, revoked.revocationDate());
        assertEquals("imported CRL ca.crl", revoked.detail());
        assertEquals(List.of(), log.all());
    }

    @Test
    void pemCrlIsRead() throws Exception {
        Files.writeString(crlDir.resolve("ca.crl"), Pki.pem(crlRevokingBob()));
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(Status.REVOKED, checker.check(bob.certificate(), ca.certificate()).status());
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
    }

    @Test
    void crlImportedWhileRunningTakesEffectWithoutRestart() throws Exception {
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(RevocationResult.goodByConfiguration(), checker.check(bob.certificate(), ca.certificate()));

        Files.write(crlDir.resolve("ca.crl"), crlRevokingBob().getEncoded());
        // taken up within one check interval of the directory watcher
        clock.passCheckInterval();
        RevocationResult r = checker.check(bob.certificate(), ca.certificate());
        assertEquals(Status.REVOKED, r.status());
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
    }

    @Test
    void crlSignedByAnotherCaIsIgnoredAndTheStatusIsUnavailable() throws Exception {
        // same name as the trusted CA, other key: not verifiable with trust/client-ca/
        Issued impostor = CertificateIssuer.certificateAuthority(Pki.CA_DN);
        Files.write(crlDir.resolve("forged.crl"), Pki.crl(impostor, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)),
                Map.of()).getEncoded());

        RevocationChecker failing = checker(UnavailablePolicy.FAIL);
        RevocationResult r = failing.check(alice.certificate(), ca.certificate());
        assertEquals(Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().contains("is not usable"), r.detail());
        List<String> severe = log.messages(Level.SEVERE);
        assertEquals(1, severe.size(), log.all().toString());
        assertTrue(severe.get(0).startsWith("ignoring " + crlDir.resolve("forged.crl") + ": not verifiable with the CA"), severe.get(0));

        RevocationChecker.Admission refused = failing.admit("client-a", alice.certificate(), ca.certificate());
        assertFalse(refused.admitted());
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(1, warnings.size());
        String serial = alice.certificate().getSerialNumber().toString(16);
        assertEquals("revocation: refused client client-a certificate x5t#S256=" + CertificateThumbprint.x5tS256(alice.certificate())
                + " serial=" + serial + ": status unavailable: " + r.detail(), warnings.get(0));
        assertFalse(warnings.get(0).contains("CN=client-a"), "no subject in the log");

        RevocationChecker allowing = checker(UnavailablePolicy.ALLOW);
        RevocationChecker.Admission allowed = allowing.admit("client-a", alice.certificate(), ca.certificate());
        assertTrue(allowed.admitted());
        assertEquals(Status.UNAVAILABLE, allowed.result().status());
        warnings = log.messages(Level.WARNING);
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(1).startsWith("revocation: accepted client client-a certificate x5t#S256="
                + CertificateThumbprint.x5tS256(alice.certificate()) + " serial=" + serial
                + " without revocation status (revocation.unavailable=allow): "), warnings.get(1));
    }

    @Test
    void crlOfAnUntrustedCaIsIgnoredWithoutAffectingOtherCas() throws Exception {
        Issued other = CertificateIssuer.certificateAuthority("CN=Other CA,O=Test,C=BE");
        Files.write(crlDir.resolve("other.crl"), Pki.crl(other, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)),
                Map.of(alice.certificate().getSerialNumber(), revokedAt)).getEncoded());
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(RevocationResult.goodByConfiguration(), checker.check(alice.certificate(), ca.certificate()));
        assertEquals(List.of("ignoring " + crlDir.resolve("other.crl") + ": no CA of trust/client-ca/ is named CN=Other CA,O=Test,C=BE"),
                log.messages(Level.SEVERE));
    }

    @Test
    void expiredCrlMeansStatusUnavailable() throws Exception {
        Files.write(crlDir.resolve("ca.crl"), Pki.crl(ca, now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)), Map.of()).getEncoded());
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        RevocationResult r = checker.check(alice.certificate(), ca.certificate());
        assertEquals(Status.UNAVAILABLE, r.status());
        assertEquals("imported CRL ca.crl expired (nextUpdate " + now.minus(Duration.ofDays(1)) + ")", r.detail());
        assertFalse(checker.admit("client-a", alice.certificate(), ca.certificate()).admitted());
    }

    @Test
    void unreadableFileIsLoggedAndTheOthersStillCount() throws Exception {
        Files.writeString(crlDir.resolve("broken.crl"), "not a CRL");
        Files.write(crlDir.resolve("ca.crl"), crlRevokingBob().getEncoded());
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(Status.REVOKED, checker.check(bob.certificate(), ca.certificate()).status());
        List<String> severe = log.messages(Level.SEVERE);
        assertEquals(1, severe.size());
        assertTrue(severe.get(0).startsWith("ignoring " + crlDir.resolve("broken.crl") + ": not a DER or PEM CRL"), severe.get(0));
    }

    @Test
    void withoutAnySourceEveryCertificateIsGoodByConfigurationAndNothingIsLogged() throws Exception {
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        for (int i = 0; i < 3; i++) {
            RevocationChecker.Admission a = checker.admit("client-b", bob.certificate(), ca.certificate());
            assertTrue(a.admitted());
            assertEquals(Status.GOOD, a.result().status());
            assertTrue(a.result().byConfiguration());
        }
        assertEquals(List.of(), log.all());
        assertFalse(checker.hasSourceFor(ca.certificate()));

        Files.write(crlDir.resolve("ca.crl"), crlRevokingBob().getEncoded());
        RevocationChecker fresh = checker(UnavailablePolicy.FAIL);
        assertTrue(fresh.hasSourceFor(ca.certificate()));
        assertFalse(new RevocationChecker(new RevocationSettings(false, false, null, UnavailablePolicy.FAIL), crlDir, () -> anchors,
                Clock.systemUTC()).hasSourceFor(CertificateIssuer.certificateAuthority("CN=Other CA,O=Test,C=BE").certificate()));
        assertTrue(new RevocationChecker(new RevocationSettings(true, false, null, UnavailablePolicy.FAIL), null, () -> anchors,
                Clock.systemUTC()).hasSourceFor(ca.certificate()));
    }

    @Test
    void aCrlMustComeFromTheCertificatesOwnCa() throws Exception {
        // The CRL of ca says nothing about a certificate of a second trusted CA.
        Issued second = CertificateIssuer.certificateAuthority("CN=Second CA,O=Test,C=BE");
        Issued carol = Pki.client(second, "CN=client-c,O=Test,C=BE", null, null);
        Set<TrustAnchor> both = Set.of(new TrustAnchor(ca.certificate(), null), new TrustAnchor(second.certificate(), null));
        Files.write(crlDir.resolve("ca.crl"), Pki.crl(ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)),
                Map.of(carol.certificate().getSerialNumber(), revokedAt)).getEncoded());
        RevocationChecker checker = new RevocationChecker(new RevocationSettings(false, false, null, UnavailablePolicy.FAIL), crlDir,
                () -> both, Clock.systemUTC());
        assertEquals(RevocationResult.goodByConfiguration(), checker.check(carol.certificate(), second.certificate()));
    }

    @Test
    void partitionedCrlCoversOnlyCertificatesOfItsDistributionPoint() throws Exception {
        String part1 = "http://crl.example.org/part1.crl";
        Issued inPart1 = Pki.client(ca, "CN=client-p1,O=Test,C=BE", part1, null);
        Issued inPart2 = Pki.client(ca, "CN=client-p2,O=Test,C=BE", "http://crl.example.org/part2.crl", null);
        Files.write(crlDir.resolve("part1.crl"), Pki.crl(ca.certificate(), ca.privateKey(), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(7)), Map.of(inPart1.certificate().getSerialNumber(), revokedAt), part1).getEncoded());
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(Status.REVOKED, checker.check(inPart1.certificate(), ca.certificate()).status());
        assertEquals(RevocationResult.unavailable("imported CRL part1.crl does not cover the certificate (issuing distribution point)"),
                checker.check(inPart2.certificate(), ca.certificate()));
        assertEquals(List.of(), log.messages(Level.SEVERE));
    }
}
