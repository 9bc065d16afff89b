package be.idsvc.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.clientauth.ClientAuthenticator;
import be.idsvc.config.ClientCaStore;
import be.idsvc.config.ClientRegistry;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.ServiceSettings;
import be.idsvc.config.TestClock;
import be.idsvc.core.OAuthError;
import be.idsvc.pki.CertificateThumbprint;

/** A revoked tls_client_auth certificate at the token endpoint (authenticate) and at userinfo (checkStillValid). */
class ClientAuthenticatorRevocationTest {
    final TestClock clock = new TestClock();
    @TempDir
    Path tmp;

    private DemoHome.Result demo;
    private ServiceHome home;
    private Pki.LogCapture log;

    @BeforeEach
    void setUp() {
        demo = DemoHome.create(new DemoHome.Options(tmp.resolve("home"), tmp.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        home = ServiceHome.at(tmp.resolve("home"));
        log = new Pki.LogCapture("be.idsvc.clientauth", "be.idsvc.revocation");
    }

    /** As ServiceComponents wires it; reads trust/crl/ as it is now. */
    private ClientAuthenticator authenticator() {
        ClientCaStore cas = new ClientCaStore(home, clock);
        RevocationChecker checker = new RevocationChecker(ServiceSettings.load(home).revocation(), home.crlDir(), cas::anchors, clock);
        return new ClientAuthenticator(new ClientRegistry(home, clock), cas::anchors, checker, clock);
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private void importCrlRevoking(X509Certificate revoked) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Files.createDirectories(home.crlDir());
        Files.write(home.crlDir().resolve("ca.crl"), Pki.crl(demo.ca(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)),
                revoked == null ? Map.of() : Map.of(revoked.getSerialNumber(), now.minus(Duration.ofMinutes(5)))).getEncoded());
    }

    private X509Certificate[] demoChain() {
        return demo.demoClient().chain().toArray(X509Certificate[]::new);
    }

    @Test
    void certificateNotRevokedIsAuthenticated() throws Exception {
        importCrlRevoking(demo.unregistered().certificate());
        ClientAuthenticator authenticator = authenticator();
        assertEquals("demo-client", authenticator.authenticate("demo-client", demoChain()).client().clientId());
        authenticator.checkStillValid("demo-client", demoChain());
        assertEquals(List.of(), log.all());
    }

    @Test
    void revokedCertificateIsInvalidClientAndTheLogSaysWhy() throws Exception {
        importCrlRevoking(demo.demoClient().certificate());
        ClientAuthenticator authenticator = authenticator();
        OAuthError e = assertThrows(OAuthError.class, () -> authenticator.authenticate("demo-client", demoChain()));
        assertEquals("invalid_client", e.code());
        assertEquals(401, e.status());
        assertEquals("client authentication failed", e.description());
        List<String> warnings = log.messages(Level.WARNING);
        assertEquals(1, log.all().size(), "one line per refusal: " + log.all());
        X509Certificate cert = demo.demoClient().certificate();
        assertTrue(warnings.get(0).startsWith("revocation: refused client demo-client certificate x5t#S256="
                + CertificateThumbprint.x5tS256(cert) + " serial=" + cert.getSerialNumber().toString(16)
                + ": revoked (keyCompromise) on "), warnings.get(0));
        assertTrue(warnings.get(0).endsWith(" per imported CRL ca.crl"), warnings.get(0));
    }

    @Test
    void userinfoRecheckRefusesACertificateRevokedAfterTheTokenWasIssued() throws Exception {
        ClientAuthenticator authenticator = authenticator();
        assertEquals("demo-client", authenticator.authenticate("demo-client", demoChain()).client().clientId());
        importCrlRevoking(demo.demoClient().certificate());
        // the CRL is picked up within WatchedDirectory.CHECK_INTERVAL_MILLIS
        clock.passCheckInterval();
        OAuthError e = assertThrows(OAuthError.class, () -> authenticator.checkStillValid("demo-client", demoChain()),
                "still accepted after the check interval");
        assertEquals("invalid_token", e.code());
        assertEquals("the client certificate is no longer valid", e.description());
    }

    @Test
    void userinfoRecheckRefusesUnknownClientsAndUnpinnedCertificates() {
        ClientAuthenticator authenticator = authenticator();
        assertEquals("invalid_token", assertThrows(OAuthError.class,
                () -> authenticator.checkStillValid("nobody", demoChain())).code());
        X509Certificate[] unpinned = demo.unregistered().chain().toArray(X509Certificate[]::new);
        assertEquals("invalid_token", assertThrows(OAuthError.class,
                () -> authenticator.checkStillValid("demo-client", unpinned)).code());
        // self-signed clients are revoked by removing their pin: still pinned, still valid
        authenticator.checkStillValid("other-client", new X509Certificate[] {demo.otherClient().certificate()});
    }

    @Test
    void twoArgumentConstructorChecksNoRevocation() throws Exception {
        importCrlRevoking(demo.demoClient().certificate());
        ClientCaStore cas = new ClientCaStore(home, Clock.systemUTC());
        ClientAuthenticator plain = new ClientAuthenticator(new ClientRegistry(home, Clock.systemUTC()), cas::anchors, Clock.systemUTC());
        assertEquals("demo-client", plain.authenticate("demo-client", demoChain()).client().clientId());
    }
}
