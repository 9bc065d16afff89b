package be.idsvc.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.config.RevocationSettings;
import be.idsvc.config.RevocationSettings.UnavailablePolicy;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.revocation.RevocationResult.Status;

/** OCSP (revocation.ocsp=true) against a loopback responder built with Bouncy Castle. */
class OcspTest {
    @TempDir
    Path dir;

    private final Issued ca = CertificateIssuer.certificateAuthority(Pki.CA_DN);
    private final Set<TrustAnchor> anchors = Set.of(new TrustAnchor(ca.certificate(), null));
    private Pki.OcspServer responder;
    private Pki.LogCapture log;
    private Issued alice;

    @BeforeEach
    void setUp() throws Exception {
        responder = new Pki.OcspServer(ca);
        alice = Pki.client(ca, "CN=client-a,O=Test,C=BE", null, responder.url());
        log = Pki.LogCapture.revocation();
    }

    @AfterEach
    void tearDown() {
        responder.close();
        log.close();
    }

    private RevocationChecker checker(UnavailablePolicy policy) {
        return checker(policy, null, null);
    }

    private RevocationChecker checker(UnavailablePolicy policy, URI configuredResponder, Path crlDir) {
        return new RevocationChecker(new RevocationSettings(false, true, configuredResponder, policy), crlDir, () -> anchors,
                Clock.systemUTC());
    }

    @Test
    void goodAnswerSignedByTheCaIsCached() {
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        RevocationResult r = checker.check(alice.certificate(), ca.certificate());
        assertEquals(RevocationResult.good("OCSP " + responder.url() + " (signed by the CA)"), r);
        for (int i = 0; i < 5; i++) assertEquals(r, checker.check(alice.certificate(), ca.certificate()));
        assertEquals(1, responder.requests.get());
        assertTrue(checker.admit("client-a", alice.certificate(), ca.certificate()).admitted());
        assertEquals(List.of(), log.all());
    }

    @Test
    void revoked() {
        Instant when = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        responder.statuses.put(alice.certificate().getSerialNumber(), new RevokedStatus(Date.from(when), CRLReason.keyCompromise));
        RevocationChecker checker = checker(UnavailablePolicy.ALLOW);
        RevocationResult r = checker.check(alice.certificate(), ca.certificate());
        assertEquals(RevocationResult.revoked("keyCompromise", when, "OCSP " + responder.url() + " (signed by the CA)"), r);

        // refused even under allow: the status is known
        assertFalse(checker.admit("client-a", alice.certificate(), ca.certificate()).admitted());
        assertEquals(List.of("revocation: refused client client-a certificate x5t#S256=" + CertificateThumbprint.x5tS256(alice.certificate())
                + " serial=" + alice.certificate().getSerialNumber().toString(16) + ": revoked (keyCompromise) on " + when
                + " per OCSP " + responder.url() + " (signed by the CA)"), log.messages(Level.WARNING));
    }

    @Test
    void unknownIsUnavailableAndNotCached() {
        responder.statuses.put(alice.certificate().getSerialNumber(), new UnknownStatus());
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        RevocationResult r = checker.check(alice.certificate(), ca.certificate());
        assertEquals(RevocationResult.unavailable("OCSP responder " + responder.url() + " does not know the certificate (status unknown)"), r);
        checker.check(alice.certificate(), ca.certificate());
        assertEquals(2, responder.requests.get());
        assertFalse(checker.admit("client-a", alice.certificate(), ca.certificate()).admitted());
    }

    @Test
    void responderDownFailsClosedByDefault() {
        responder.close();
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        RevocationResult r = checker.check(alice.certificate(), ca.certificate());
        assertEquals(Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().startsWith("OCSP responder " + responder.url() + " not reachable: "), r.detail());
        RevocationChecker.Admission a = checker.admit("client-a", alice.certificate(), ca.certificate());
        assertFalse(a.admitted());
        // the second attempt within 30 s does not wait for the dead responder again
        assertEquals("OCSP responder " + responder.url() + " failed less than 30 s ago; not asked again yet", a.result().detail());
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("OCSP responder " + responder.url() + " not reachable: "), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("revocation: refused client client-a "), warnings.get(1));
    }

    @Test
    void responderDownIsAllowedWithAWarningUnderAllow() {
        responder.close();
        RevocationChecker.Admission a = checker(UnavailablePolicy.ALLOW).admit("client-a", alice.certificate(), ca.certificate());
        assertTrue(a.admitted());
        assertEquals(Status.UNAVAILABLE, a.result().status());
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(1).startsWith("revocation: accepted client client-a certificate x5t#S256="
                + CertificateThumbprint.x5tS256(alice.certificate())), warnings.get(1));
    }

    @Test
    void responseSignedByAnUnrelatedKeyIsRefused() {
        Issued stranger = CertificateIssuer.certificateAuthority("CN=Stranger,O=Test,C=BE");
        responder.signedBy(stranger.certificate(), stranger.privateKey(), stranger.certificate());
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(RevocationResult.unavailable("OCSP responder " + responder.url()
                + ": response not signed by the issuing CA nor by an OCSP responder it delegated"), checker.check(alice.certificate(), ca.certificate()));
        assertFalse(checker.admit("client-a", alice.certificate(), ca.certificate()).admitted());
    }

    @Test
    void delegatedResponderOfTheCaIsAccepted() {
        Issued delegated = Pki.ocspResponder(ca, true);
        responder.signedBy(delegated.certificate(), delegated.privateKey(), delegated.certificate());
        assertEquals(RevocationResult.good("OCSP " + responder.url() + " (signed by a delegated responder)"),
                checker(UnavailablePolicy.FAIL).check(alice.certificate(), ca.certificate()));
    }

    @Test
    void delegatedResponderWithoutOcspSigningIsRefused() {
        Issued notDelegated = Pki.ocspResponder(ca, false);
        responder.signedBy(notDelegated.certificate(), notDelegated.privateKey(), notDelegated.certificate());
        assertEquals(Status.UNAVAILABLE, checker(UnavailablePolicy.FAIL).check(alice.certificate(), ca.certificate()).status());
    }

    @Test
    void responderDelegatedByAnotherCaIsRefused() {
        Issued other = CertificateIssuer.certificateAuthority("CN=Other CA,O=Test,C=BE");
        Issued foreign = Pki.ocspResponder(other, true);
        responder.signedBy(foreign.certificate(), foreign.privateKey(), foreign.certificate(), other.certificate());
        assertEquals(Status.UNAVAILABLE, checker(UnavailablePolicy.FAIL).check(alice.certificate(), ca.certificate()).status());
    }

    @Test
    void nonceMismatchIsRefused() {
        responder.nonce = Pki.Nonce.WRONG;
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(RevocationResult.unavailable("OCSP responder " + responder.url() + ": response nonce does not match the request"),
                checker.check(alice.certificate(), ca.certificate()));
        assertFalse(checker.admit("client-a", alice.certificate(), ca.certificate()).admitted());
    }

    @Test
    void responseWithoutNonceButFreshIsAccepted() {
        responder.nonce = Pki.Nonce.OMIT;
        assertEquals(Status.GOOD, checker(UnavailablePolicy.FAIL).check(alice.certificate(), ca.certificate()).status());
    }

    @Test
    void staleResponseIsRefused() {
        responder.thisUpdateAgo = Duration.ofHours(2);
        responder.nextUpdateIn = Duration.ofMinutes(-1);
        RevocationResult r = checker(UnavailablePolicy.FAIL).check(alice.certificate(), ca.certificate());
        assertEquals(Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().startsWith("OCSP responder " + responder.url() + ": response is stale (nextUpdate "), r.detail());
    }

    @Test
    void responseWithoutNextUpdateIsCachedForAFewMinutesOnly() {
        responder.nextUpdateIn = null;
        Pki.MutableClock clock = new Pki.MutableClock(Instant.now());
        RevocationChecker checker = new RevocationChecker(new RevocationSettings(false, true, null, UnavailablePolicy.FAIL), null,
                () -> anchors, clock);
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        clock.set(clock.instant().plus(Duration.ofMinutes(4)));
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(1, responder.requests.get());
        clock.set(clock.instant().plus(Duration.ofMinutes(2)));
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(2, responder.requests.get());
    }

    @Test
    void configuredResponderIsUsedForCertificatesWithoutAia() {
        Issued bob = Pki.client(ca, "CN=client-b,O=Test,C=BE", null, null);
        RevocationResult r = checker(UnavailablePolicy.FAIL, URI.create(responder.url()), null).check(bob.certificate(), ca.certificate());
        assertEquals(Status.GOOD, r.status());
        assertEquals(1, responder.requests.get());

        assertEquals(RevocationResult.unavailable("no OCSP responder: revocation.ocsp.responder is not set and the certificate's AIA names no http responder"),
                checker(UnavailablePolicy.FAIL).check(bob.certificate(), ca.certificate()));
    }

    @Test
    void withoutOcspAnswerTheImportedCrlDecides() throws Exception {
        responder.close();
        Path crlDir = Files.createDirectories(dir.resolve("trust/crl"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Files.write(crlDir.resolve("ca.crl"), Pki.crl(ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
                Map.of(alice.certificate().getSerialNumber(), now.minus(Duration.ofHours(1)))).getEncoded());
        RevocationResult r = checker(UnavailablePolicy.ALLOW, null, crlDir).check(alice.certificate(), ca.certificate());
        assertEquals(RevocationResult.revoked("keyCompromise", now.minus(Duration.ofHours(1)), "imported CRL ca.crl"), r);
    }
}
