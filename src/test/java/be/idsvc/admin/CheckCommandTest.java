package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;

class CheckCommandTest extends CliTestSupport {
    static final String NO_REVOCATION = "ca demo-ca: no revocation configured (import a CRL into trust/crl/, or set"
            + " revocation.ocsp or revocation.crl.fetch in idsvc.properties)";
    Instant crlNextUpdate;

    Result check(Instant at, String... options) {
        Map<String, String> before = snapshot();
        String[] args = new String[options.length + 1];
        args[0] = "check";
        System.arraycopy(options, 0, args, 1, options.length);
        Result r = idsvcAt(at, args);
        assertEquals(before, snapshot(), "check changed the home");
        assertEquals("", r.err());
        return r;
    }

    void importCrl() throws Exception {
        crlNextUpdate = now.plus(7, ChronoUnit.DAYS);
        Path der = dir.resolve("demo.crl");
        Files.write(der, crl(demo.ca(), now.minus(1, ChronoUnit.HOURS), crlNextUpdate).getEncoded());
        assertEquals(0, idsvc("crl", "import", der.toString()).exit());
    }

    @Test
    void aFreshDemoHomeLacksOnlyRevocation() {
        Result r = check(now);
        assertEquals(NO_REVOCATION + "\n1 item needs action\n", r.out());
        assertEquals(1, r.exit());
    }

    @Test
    void onlineRevocationCountsAsConfigured() throws Exception {
        Files.writeString(home.resolve("idsvc.properties"), read("idsvc.properties") + "revocation.ocsp=true\n");
        Result r = check(now);
        assertEquals("nothing needs action (certificates checked for expiry until " + now.plus(30, ChronoUnit.DAYS) + ")\n", r.out());
        assertEquals(0, r.exit());
    }

    /** Issue 13 defect 12: a home that is no sandbox must not keep the sandbox's demo anchors, and needs eid.rrn_subject. */
    @Test
    void sandboxAnchorsInAProductionHomeAreFlagged() throws Exception {
        Path settings = home.resolve("idsvc.properties");
        Files.writeString(settings, read("idsvc.properties").replaceAll("(?m)^eid\\.sandbox_virtual_cards=.*$", "eid.sandbox_virtual_cards=false")
                .replaceAll("(?m)^eid\\.rrn_subject=.*$", "") + "revocation.ocsp=true\n");
        // a demo root kept under another name is found by its key
        Files.copy(home.resolve("trust/eid/rrn-ca/sandbox-rrn-root.pem"), home.resolve("trust/eid/rrn-ca/renamed.pem"));
        String why = " is a sandbox anchor (its key is in keys/sandbox/) in a home that is no sandbox"
                + " (eid.sandbox_virtual_cards is not true): remove it\n";
        Result r = check(now);
        assertEquals("eid: trust/eid/citizen-ca/sandbox-citizen-ca.pem" + why
                + "eid: trust/eid/rrn-ca/renamed.pem" + why
                + "eid: trust/eid/rrn-ca/sandbox-rrn-root.pem" + why
                + "eid: eid.rrn_subject is not set: every eID readout is refused outside sandbox homes"
                + " (production: eid.rrn_subject=CN=RRN, O=RRN, C=BE)\n"
                + "4 items need action\n", r.out());
        assertEquals(1, r.exit());
    }

    @Test
    void sandboxAnchorsInASandboxHomeAreFine() {
        assertEquals(NO_REVOCATION + "\n1 item needs action\n", check(now).out());
    }

    @Nested
    class WithACrl {
        @BeforeEach
        void withCrl() throws Exception {
            importCrl();
        }

        @Test
        void nothingNeedsActionThenACertificateExpiresSoonThenItHasExpired() throws Exception {
            Result ok = check(now);
            assertEquals("nothing needs action (certificates checked for expiry until " + now.plus(30, ChronoUnit.DAYS) + ")\n", ok.out());
            assertEquals(0, ok.exit());

            Issued soon = client(demo.ca(), DemoHome.DEMO_CLIENT_DN, 10);
            assertEquals(0, idsvc("pin", "add", "demo-client", pem("soon.pem", soon).toString()).exit());
            Instant notAfter = soon.certificate().getNotAfter().toInstant();
            long days = java.time.Duration.between(now, notAfter).toDays();
            Result r = check(now);
            assertEquals("client demo-client: pin " + pin(soon) + ": certificate expires on " + notAfter + " (in " + days + " days)\n"
                    + "1 item needs action\n", r.out());
            assertEquals(1, r.exit());

            Result shorter = check(now, "--days", "5");
            assertEquals(0, shorter.exit(), shorter.out());

            Instant later = now.plus(11, ChronoUnit.DAYS);
            Result expired = check(later, "--days", "0");
            assertEquals("client demo-client: pin " + pin(soon) + ": certificate expired on " + notAfter + "\n"
                    + "crl demo-ca: stale, nextUpdate " + crlNextUpdate + " has passed\n"
                    + "2 items need action\n", expired.out());
            assertEquals(1, expired.exit());
        }

        @Test
        void reportsMissingPinFilesClientsWithoutPinsAndASoonExpiringServerCertificate() throws Exception {
            assertEquals(0, idsvc("client", "add", "bare", "--auth", "self_signed_tls_client_auth", "--redirect-uri",
                    "https://bare.example.org/cb").exit());
            String demoPin = pin(demo.demoClient());
            Files.delete(home.resolve("trust/pinned/" + demoPin + ".pem"));
            Issued server = CertificateIssuer.server(demo.ca(), "CN=localhost", List.of("localhost"), List.of(),
                    now.minus(1, ChronoUnit.DAYS), now.plus(3, ChronoUnit.DAYS), CertificateIssuer.KeyType.EC_P256);
            Files.writeString(home.resolve("tls/server.pem"), server.chainPem());

            Result r = check(now);
            assertEquals("tls/server.pem: certificate CN=localhost expires on " + now.plus(3, ChronoUnit.DAYS) + " (in 3 days)\n"
                    + "client bare: no pin (it cannot authenticate)\n"
                    + "client demo-client: pin " + demoPin + ": no certificate file trust/pinned/" + demoPin + ".pem\n"
                    + "3 items need action\n", r.out());
            assertEquals(1, r.exit());
        }

        @Test
        void expiringCaCertificatesAreListed() throws Exception {
            Issued ca = CertificateIssuer.certificateAuthority("CN=Short CA,C=BE", now.minus(1, ChronoUnit.DAYS),
                    now.plus(20, ChronoUnit.DAYS), CertificateIssuer.KeyType.EC_P256);
            assertEquals(0, idsvc("ca", "add", pem("short.pem", ca).toString()).exit());
            Path der = dir.resolve("short.crl");
            Files.write(der, crl(ca, now, now.plus(7, ChronoUnit.DAYS)).getEncoded());
            assertEquals(0, idsvc("crl", "import", der.toString()).exit());
            Result r = check(now);
            assertEquals("ca short-ca: certificate expires on " + now.plus(20, ChronoUnit.DAYS) + " (in 20 days)\n"
                    + "1 item needs action\n", r.out());
            assertEquals(1, r.exit());
            assertEquals(0, check(now, "--days", "19").exit());
        }
    }

    @Test
    void usageErrorsExitWith2() {
        assertRefused(2, "idsvc: check: --days must be a whole number from 0 to 36500\nusage: see idsvc help", "check", "--days", "soon");
        assertRefused(2, "idsvc: check: unknown option --verbose\nusage: see idsvc help", "check", "--verbose", "x");
        assertRefused(2, "idsvc: check needs no operand; unexpected: now\nusage: see idsvc help", "check", "now");
    }
}
