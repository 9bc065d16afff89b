package be.idsvc.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.TrustAnchor;
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

import be.idsvc.config.RevocationSettings;
import be.idsvc.config.RevocationSettings.UnavailablePolicy;
import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;
import be.idsvc.revocation.RevocationResult.Status;

/** CRLs fetched from the certificate's distribution point (revocation.crl.fetch=true), cached by URL. */
class FetchedCrlTest {
    private final Issued ca = CertificateIssuer.certificateAuthority(Pki.CA_DN);
    private final Set<TrustAnchor> anchors = Set.of(new TrustAnchor(ca.certificate(), null));
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Pki.MutableClock clock = new Pki.MutableClock(t0);
    private Pki.CrlServer server;
    private Pki.LogCapture log;
    private Issued alice;
    private Issued bob;

    @BeforeEach
    void setUp() throws Exception {
        server = new Pki.CrlServer();
        alice = Pki.client(ca, "CN=client-a,O=Test,C=BE", server.url(), null);
        bob = Pki.client(ca, "CN=client-b,O=Test,C=BE", server.url(), null);
        log = Pki.LogCapture.revocation();
    }

    @AfterEach
    void tearDown() {
        server.close();
        log.close();
    }

    private RevocationChecker checker(UnavailablePolicy policy) {
        return new RevocationChecker(new RevocationSettings(true, false, null, policy), null, () -> anchors, clock);
    }

    @Test
    void fetchedOnceThenServedFromTheCache() throws Exception {
        server.serve(Pki.crl(ca, t0.minus(Duration.ofMinutes(1)), t0.plus(Duration.ofHours(1)),
                Map.of(bob.certificate().getSerialNumber(), t0.minus(Duration.ofDays(1)))));
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);

        RevocationResult good = checker.check(alice.certificate(), ca.certificate());
        assertEquals(Status.GOOD, good.status());
        assertEquals("CRL " + server.url(), good.detail());
        for (int i = 0; i < 5; i++) assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        RevocationResult revoked = checker.check(bob.certificate(), ca.certificate());
        assertEquals(Status.REVOKED, revoked.status());
        assertEquals(t0.minus(Duration.ofDays(1)), revoked.revocationDate());
        clock.set(t0.plus(Duration.ofMinutes(30)));
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(1, server.requests.get());
        assertEquals(List.of(), log.all());
    }

    @Test
    void refreshedShortlyBeforeNextUpdate() throws Exception {
        server.serve(Pki.crl(ca, t0.minus(Duration.ofMinutes(1)), t0.plus(Duration.ofHours(1)), Map.of()));
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());

        // the CA revokes alice and publishes a new CRL
        server.serve(Pki.crl(ca, t0.plus(Duration.ofMinutes(50)), t0.plus(Duration.ofHours(2)),
                Map.of(alice.certificate().getSerialNumber(), t0.plus(Duration.ofMinutes(50)))));
        clock.set(t0.plus(Duration.ofMinutes(54)));
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(1, server.requests.get());
        // within REFRESH_MARGIN (5 min) of nextUpdate: fetched again
        clock.set(t0.plus(Duration.ofMinutes(56)));
        assertEquals(Status.REVOKED, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(2, server.requests.get());
    }

    @Test
    void fetchedAgainWhenNextUpdatePassed() throws Exception {
        server.serve(Pki.crl(ca, t0.minus(Duration.ofMinutes(1)), t0.plus(Duration.ofHours(1)), Map.of()));
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());

        server.serve(Pki.crl(ca, t0.plus(Duration.ofHours(1)), t0.plus(Duration.ofHours(2)),
                Map.of(bob.certificate().getSerialNumber(), t0.plus(Duration.ofMinutes(30)))));
        clock.set(t0.plus(Duration.ofHours(1)).plusSeconds(1));
        assertEquals(Status.REVOKED, checker.check(bob.certificate(), ca.certificate()).status());
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(2, server.requests.get());
    }

    @Test
    void expiredCachedCrlAndUnreachableServerMeanUnavailable() throws Exception {
        server.serve(Pki.crl(ca, t0.minus(Duration.ofMinutes(1)), t0.plus(Duration.ofHours(1)), Map.of()));
        RevocationChecker checker = checker(UnavailablePolicy.FAIL);
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        server.close();

        clock.set(t0.plus(Duration.ofHours(2)));
        RevocationResult r = checker.check(alice.certificate(), ca.certificate());
        assertEquals(Status.UNAVAILABLE, r.status());
        assertTrue(r.detail().startsWith("cannot fetch the CRL " + server.url() + ": "), r.detail());
        assertTrue(r.detail().endsWith("; CRL " + server.url() + " expired (nextUpdate " + t0.plus(Duration.ofHours(1)) + ")"), r.detail());
        assertFalse(checker.admit("client-a", alice.certificate(), ca.certificate()).admitted());
        // one WARNING for the failed fetch (retried only after 30 s), one for the refusal
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("cannot fetch the CRL " + server.url()), warnings.get(0));
        assertTrue(warnings.get(1).startsWith("revocation: refused client client-a certificate x5t#S256="), warnings.get(1));

        assertTrue(checker(UnavailablePolicy.ALLOW).admit("client-a", alice.certificate(), ca.certificate()).admitted());
    }

    @Test
    void failedFetchIsNotRetriedForThirtySeconds() throws Exception {
        RevocationChecker checker = checker(UnavailablePolicy.FAIL); // the server answers 404
        RevocationResult r = checker.check(alice.certificate(), ca.certificate());
        assertEquals(Status.UNAVAILABLE, r.status());
        assertEquals("cannot fetch the CRL " + server.url() + ": HTTP status 404", r.detail());
        assertEquals(Status.UNAVAILABLE, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(1, server.requests.get());

        server.serve(Pki.crl(ca, t0, t0.plus(Duration.ofHours(1)), Map.of()));
        clock.set(t0.plus(Duration.ofSeconds(31)));
        assertEquals(Status.GOOD, checker.check(alice.certificate(), ca.certificate()).status());
        assertEquals(2, server.requests.get());
    }

    @Test
    void crlAtTheDistributionPointSignedByAnotherCaIsRefused() throws Exception {
        Issued impostor = CertificateIssuer.certificateAuthority(Pki.CA_DN);
        server.serve(Pki.crl(impostor, t0.minus(Duration.ofMinutes(1)), t0.plus(Duration.ofHours(1)), Map.of()));
        RevocationResult r = checker(UnavailablePolicy.FAIL).check(alice.certificate(), ca.certificate());
        assertEquals(RevocationResult.unavailable("ignoring the CRL " + server.url() + ": Signature does not match."), r);
        assertEquals(List.of("ignoring the CRL " + server.url() + ": Signature does not match."), log.messages(Level.WARNING));
    }

    @Test
    void certificateWithoutDistributionPoint() {
        Issued plain = Pki.client(ca, "CN=client-c,O=Test,C=BE", null, null);
        RevocationResult r = checker(UnavailablePolicy.FAIL).check(plain.certificate(), ca.certificate());
        assertEquals(RevocationResult.unavailable("the certificate names no http CRL distribution point"), r);
        assertEquals(0, server.requests.get());
    }
}
