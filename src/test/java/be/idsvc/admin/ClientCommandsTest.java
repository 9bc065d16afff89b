package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;

class ClientCommandsTest extends CliTestSupport {
    static final String SHOP_DN = "CN=shop,O=Shop,C=BE";

    String demoPin() {
        return pin(demo.demoClient());
    }

    String otherPin() {
        return pin(demo.otherClient());
    }

    List<String> demoTruststore() {
        return List.of("client-ca-demo-ca", "pinned-other-client-" + otherPin().toLowerCase(Locale.ROOT));
    }

    static String describe(Issued c) {
        return "  subject:   " + c.subjectDn() + "\n"
                + "  issuer:    " + c.certificate().getIssuerX500Principal().getName() + "\n"
                + "  not after: " + c.certificate().getNotAfter().toInstant() + "\n"
                + "  x5t#S256:  " + pin(c) + "\n";
    }

    static String registration(String id, String name, String method, String subjectLine, String uris, String scopes,
            String pins, String alg, String sector) {
        return "client_id=" + id + "\n"
                + "client_name=" + name + "\n"
                + "# tls_client_auth (CA-issued certificate, subject must match) or self_signed_tls_client_auth\n"
                + "token_endpoint_auth_method=" + method + "\n"
                + (subjectLine == null ? "" : "# tls_client_auth only: one of these must match the certificate\n" + subjectLine + "\n")
                + "# space-separated, exact match\n"
                + "redirect_uris=" + uris + "\n"
                + "# space-separated; national_number must be listed explicitly to be allowed\n"
                + "scopes=" + scopes + "\n"
                + "# space-separated SHA-256 thumbprints (base64url, x5t#S256) of the client's current certificates\n"
                + "pins=" + pins + "\n"
                + "# ES256 (default), RS256 or PS256\n"
                + "id_token_signed_response_alg=" + alg + "\n"
                + "# pairwise sector; default: the host of the first redirect URI\n"
                + "sector_identifier=" + sector + "\n";
    }

    // ---- client add ------------------------------------------------------------------------

    @Test
    void addsACaIssuedClientWithItsCertificate() {
        Issued shop = client(demo.ca(), SHOP_DN, 400);
        Path pem = pem("shop.pem", shop);
        Result r = idsvc("client", "add", "shop", "--auth", "tls_client_auth", "--redirect-uri", "https://shop.example.org/cb",
                "--redirect-uri", "http://127.0.0.1:9000/cb", "--scopes", "profile openid", "--subject-dn", SHOP_DN,
                "--name", "Web shop", "--id-token-alg", "RS256", "--cert", pem.toString());
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        assertEquals("registered client shop (tls_client_auth) in clients/shop.properties\npinned certificate:\n" + describe(shop), r.out());
        assertEquals(registration("shop", "Web shop", "tls_client_auth", "tls_client_auth_subject_dn=" + SHOP_DN,
                "https://shop.example.org/cb http://127.0.0.1:9000/cb", "openid profile", pin(shop), "RS256", "shop.example.org"),
                read("clients/shop.properties"));
        assertEquals(shop.certificatePem(), read("trust/pinned/" + pin(shop) + ".pem"));
        // a CA-issued certificate is trusted through its CA: the truststore does not change
        assertEquals(demoTruststore(), truststoreAliases());
        assertEquals(audit("client add client=shop auth=tls_client_auth name=\"Web shop\" subject_dn=" + SHOP_DN
                + " redirect_uris=\"https://shop.example.org/cb http://127.0.0.1:9000/cb\" scopes=\"openid profile\" id_token_alg=RS256"
                + " sector=shop.example.org pins=" + pin(shop)), lastAuditLine());
    }

    @Test
    void addsASelfSignedClientAndTrustsItsCertificateInTheTruststore() throws Exception {
        Issued app = CertificateIssuer.selfSignedClient("CN=app,O=App,C=BE");
        Result r = idsvc("client", "add", "app", "--auth", "self_signed_tls_client_auth", "--redirect-uri",
                "https://app.example.org/callback", "--sector", "app-sector", "--cert", pem("app.pem", app).toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("registered client app (self_signed_tls_client_auth) in clients/app.properties\npinned certificate:\n"
                + describe(app) + AdminHome.TRUSTSTORE_CHANGED + "\n", r.out());
        assertEquals(registration("app", "app", "self_signed_tls_client_auth", null, "https://app.example.org/callback",
                "openid", pin(app), "ES256", "app-sector"), read("clients/app.properties"));
        String alias = "pinned-app-" + pin(app).toLowerCase(Locale.ROOT);
        assertEquals(List.of("client-ca-demo-ca", alias, "pinned-other-client-" + otherPin().toLowerCase(Locale.ROOT)),
                truststoreAliases());
        assertEquals(app.certificate(), truststoreCertificate(alias));
        assertEquals(audit("client add client=app auth=self_signed_tls_client_auth name=app"
                + " redirect_uris=https://app.example.org/callback scopes=openid id_token_alg=ES256 sector=app-sector pins=" + pin(app)), lastAuditLine());
    }

    @Test
    void addsAClientWithoutPinMatchedBySanDns() {
        Result r = idsvc("client", "add", "api", "--auth", "tls_client_auth", "--san-dns", "api.example.org",
                "--redirect-uri", "https://api.example.org/cb");
        assertEquals(0, r.exit(), r.err());
        assertEquals("registered client api (tls_client_auth) in clients/api.properties\n"
                + "no pin yet: add the client's certificate with: idsvc pin add api FILE.pem\n", r.out());
        assertEquals(registration("api", "api", "tls_client_auth", "tls_client_auth_san_dns=api.example.org",
                "https://api.example.org/cb", "openid", "", "ES256", "api.example.org"), read("clients/api.properties"));
        assertEquals(audit("client add client=api auth=tls_client_auth name=api san_dns=api.example.org"
                + " redirect_uris=https://api.example.org/cb scopes=openid id_token_alg=ES256 sector=api.example.org pins=-"), lastAuditLine());

        // and a certificate carrying that DNS name can be pinned
        Issued c = CertificateIssuer.issue(CertificateIssuer.Spec.endEntity("CN=whatever,O=Api,C=BE", java.time.Duration.ofDays(90))
                .withSubjectAltNames(List.of("api.example.org"), List.of()), demo.ca());
        assertEquals(0, idsvc("pin", "add", "api", pem("api.pem", c).toString()).exit());
        assertTrue(read("clients/api.properties").contains("\npins=" + pin(c) + "\n"));
    }

    @Test
    void refusesWrongClientAddInputAndChangesNothing() {
        String[] ok = {"--auth", "tls_client_auth", "--subject-dn", SHOP_DN, "--redirect-uri", "https://shop.example.org/cb"};
        assertRefused(1, "idsvc client add: client 'demo-client' already exists (clients/demo-client.properties)",
                concat(new String[] {"client", "add", "demo-client"}, ok));
        assertRefused(1, "idsvc client add: malformed client id 'shop/../x': use 1 to 64 of A-Z a-z 0-9 . _ - (not starting with a dot)",
                concat(new String[] {"client", "add", "shop/../x"}, ok));
        assertRefused(1, "idsvc client add: malformed client id '.hidden': use 1 to 64 of A-Z a-z 0-9 . _ - (not starting with a dot)",
                concat(new String[] {"client", "add", ".hidden"}, ok));
        assertRefused(1, "idsvc client add: redirect URI 'http://shop.example.org/cb' must be https (http only on loopback:"
                + " 127.0.0.1, [::1], localhost), with a host and no fragment",
                "client", "add", "shop", "--auth", "tls_client_auth", "--subject-dn", SHOP_DN, "--redirect-uri",
                "https://shop.example.org/ok", "--redirect-uri", "http://shop.example.org/cb");
        assertRefused(1, "idsvc client add: redirect URI 'https://shop.example.org/cb#x' must be https (http only on loopback:"
                + " 127.0.0.1, [::1], localhost), with a host and no fragment",
                "client", "add", "shop", "--auth", "tls_client_auth", "--subject-dn", SHOP_DN, "--redirect-uri",
                "https://shop.example.org/cb#x");
        assertRefused(1, "idsvc client add: unknown scope 'email' (known scopes: openid profile address eid national_number photo)",
                concat(new String[] {"client", "add", "shop", "--scopes", "openid email"}, ok));
        assertRefused(1, "idsvc client add: scopes must include openid",
                concat(new String[] {"client", "add", "shop", "--scopes", "profile"}, ok));
        assertRefused(1, "idsvc client add: malformed subject DN 'shop' (expected e.g. CN=app,O=Org,C=BE)",
                "client", "add", "shop", "--auth", "tls_client_auth", "--subject-dn", "shop", "--redirect-uri", "https://s.example/cb");
        // --cert problems refuse the whole registration
        Path key = demoDir.resolve("demo-client-key.pem");
        assertRefused(1, "idsvc client add: " + key + ": expected a certificate, found a private key",
                concat(new String[] {"client", "add", "shop", "--cert", key.toString()}, ok));
        Path other = pem("other.pem", client(demo.ca(), "CN=other,O=Shop,C=BE", 30));
        assertRefused(1, "idsvc client add: the certificate in " + other + " does not match client 'shop': subject"
                + " CN=other,O=Shop,C=BE is not " + SHOP_DN, concat(new String[] {"client", "add", "shop", "--cert", other.toString()}, ok));
    }

    @Test
    void usageErrorsExitWith2AndChangeNothing() {
        assertRefused(2, "idsvc: client add needs --auth tls_client_auth|self_signed_tls_client_auth\nusage: see idsvc help",
                "client", "add", "shop", "--redirect-uri", "https://s.example/cb");
        assertRefused(2, "idsvc: client add: --auth must be tls_client_auth or self_signed_tls_client_auth, not 'basic'\nusage: see idsvc help",
                "client", "add", "shop", "--auth", "basic", "--redirect-uri", "https://s.example/cb");
        assertRefused(2, "idsvc: client add needs at least one --redirect-uri URI\nusage: see idsvc help",
                "client", "add", "shop", "--auth", "self_signed_tls_client_auth");
        assertRefused(2, "idsvc: client add: tls_client_auth needs exactly one of --subject-dn DN and --san-dns NAME\nusage: see idsvc help",
                "client", "add", "shop", "--auth", "tls_client_auth", "--redirect-uri", "https://s.example/cb");
        assertRefused(2, "idsvc: client add: --subject-dn and --san-dns are for tls_client_auth only\nusage: see idsvc help",
                "client", "add", "shop", "--auth", "self_signed_tls_client_auth", "--subject-dn", SHOP_DN,
                "--redirect-uri", "https://s.example/cb");
        assertRefused(2, "idsvc: client add: unknown option --secret\nusage: see idsvc help",
                "client", "add", "shop", "--secret", "x");
        assertRefused(2, "idsvc: client add: --id-token-alg must be ES256, RS256 or PS256\nusage: see idsvc help",
                "client", "add", "shop", "--auth", "self_signed_tls_client_auth", "--redirect-uri", "https://s.example/cb",
                "--id-token-alg", "HS256");
        assertRefused(2, "idsvc: client show needs ID\nusage: see idsvc help", "client", "show");
        assertRefused(2, "idsvc: client list needs no operand; unexpected: x\nusage: see idsvc help", "client", "list", "x");
        assertRefused(2, "idsvc: unknown command: frobnicate\nusage: see idsvc help", "frobnicate");
        assertRefused(2, "idsvc: client needs a subcommand\nusage: see idsvc help", "client");
        assertRefused(2, "idsvc: unknown command: client drop\nusage: see idsvc help", "client", "drop", "x");
    }

    @Test
    void aHomeIsRequired() {
        Result r = runWithoutHome("client", "list");
        if (System.getProperty("idsvc.home") == null && System.getenv("IDSVC_HOME") == null) {
            assertEquals(2, r.exit());
            assertEquals("idsvc: no service home: give --home DIR or set the system property idsvc.home or IDSVC_HOME\n"
                    + "usage: see idsvc help\n", r.err());
        }
        Path empty = dir.resolve("empty");
        Result r2 = runWithoutHome("--home", empty.toString(), "client", "list");
        assertEquals(1, r2.exit());
        assertEquals("idsvc client list: no service home at " + empty + " (it has no idsvc.properties)\n", r2.err());
    }

    @Test
    void theHomeMayFollowTheCommandOrComeFromTheSystemProperty() {
        Result after = runWithoutHome("client", "list", "--home", home.toString());
        assertEquals(0, after.exit(), after.err());
        assertTrue(after.out().startsWith("demo-client "), after.out());
        String previous = System.getProperty("idsvc.home");
        System.setProperty("idsvc.home", home.toString());
        try {
            Result r = runWithoutHome("client", "list");
            assertEquals(0, r.exit(), r.err());
            assertEquals(after.out(), r.out());
        } finally {
            if (previous == null) System.clearProperty("idsvc.home");
            else System.setProperty("idsvc.home", previous);
        }
    }

    Result runWithoutHome(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = IdsvcCli.run(args, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    // ---- list, show, remove ----------------------------------------------------------------

    @Test
    void listsAndShowsClients() {
        Result list = idsvc("client", "list");
        assertEquals(0, list.exit());
        assertEquals("demo-client              tls_client_auth              1 pin   Demo client\n"
                + "other-client             self_signed_tls_client_auth  1 pin   Other demo client\n", list.out());

        Result show = idsvc("client", "show", "demo-client");
        assertEquals(0, show.exit());
        assertEquals("client_id=demo-client\n"
                + "client_name=Demo client\n"
                + "token_endpoint_auth_method=tls_client_auth\n"
                + "tls_client_auth_subject_dn=" + DemoHome.DEMO_CLIENT_DN + "\n"
                + "redirect_uris=http://127.0.0.1:8765/callback\n"
                + "scopes=openid profile address eid photo\n"
                + "pins=" + demoPin() + "\n"
                + "id_token_signed_response_alg=ES256\n"
                + "sector_identifier=127.0.0.1\n"
                + "pin " + demoPin() + ":\n" + describe(demo.demoClient()), show.out());
    }

    @Test
    void showNamesAMissingPinFile() throws Exception {
        Files.delete(home.resolve("trust/pinned/" + demoPin() + ".pem"));
        Result show = idsvc("client", "show", "demo-client");
        assertTrue(show.out().endsWith("pin " + demoPin() + ":\n  certificate file missing: trust/pinned/" + demoPin() + ".pem\n"), show.out());
    }

    @Test
    void removesAClientAndTheCertificatesOnlyItPins() {
        Result r = idsvc("client", "remove", "other-client");
        assertEquals(0, r.exit(), r.err());
        assertEquals("removed client other-client\n  deleted trust/pinned/" + otherPin() + ".pem\n" + AdminHome.TRUSTSTORE_CHANGED + "\n", r.out());
        assertFalse(Files.exists(home.resolve("clients/other-client.properties")));
        assertFalse(Files.exists(home.resolve("trust/pinned/" + otherPin() + ".pem")));
        assertEquals(List.of("client-ca-demo-ca"), truststoreAliases());
        assertEquals(audit("client remove client=other-client pins=" + otherPin() + " deleted=" + otherPin()), lastAuditLine());
    }

    @Test
    void keepsACertificateAnotherClientStillPins() {
        assertEquals(0, idsvc("client", "add", "twin", "--auth", "self_signed_tls_client_auth", "--redirect-uri",
                "https://twin.example.org/cb", "--cert", demoDir.resolve("other-client.pem").toString()).exit());
        Result r = idsvc("client", "remove", "other-client");
        assertEquals("removed client other-client\n  kept trust/pinned/" + otherPin() + ".pem (pinned by twin)\n", r.out());
        assertTrue(Files.exists(home.resolve("trust/pinned/" + otherPin() + ".pem")));
        assertEquals(List.of("client-ca-demo-ca", "pinned-twin-" + otherPin().toLowerCase(Locale.ROOT)), truststoreAliases());
        assertEquals(audit("client remove client=other-client pins=" + otherPin() + " deleted=-"), lastAuditLine());
    }

    @Test
    void unknownClientsAreRefused() {
        assertRefused(1, "idsvc client show: unknown client 'nobody' (no clients/nobody.properties)", "client", "show", "nobody");
        assertRefused(1, "idsvc client remove: unknown client 'nobody' (no clients/nobody.properties)", "client", "remove", "nobody");
        assertRefused(1, "idsvc pin add: unknown client 'nobody' (no clients/nobody.properties)", "pin", "add", "nobody",
                demoDir.resolve("demo-client.pem").toString());
        assertRefused(1, "idsvc pin remove: unknown client 'nobody' (no clients/nobody.properties)", "pin", "remove", "nobody", demoPin());
        assertRefused(1, "idsvc client remove: malformed client id '../idsvc': use 1 to 64 of A-Z a-z 0-9 . _ - (not starting with a dot)",
                "client", "remove", "../idsvc");
    }

    // ---- pins --------------------------------------------------------------------------------

    @Test
    void rotatesACaIssuedCertificateWithTwoPins() {
        Issued next = client(demo.ca(), DemoHome.DEMO_CLIENT_DN, 400);
        Result add = idsvc("pin", "add", "demo-client", pem("next.pem", next).toString());
        assertEquals(0, add.exit(), add.err());
        assertEquals("pinned for client demo-client (2 pins):\n" + describe(next), add.out());
        String file = read("clients/demo-client.properties");
        assertTrue(file.contains("\npins=" + demoPin() + " " + pin(next) + "\n"), file);
        assertEquals(next.certificatePem(), read("trust/pinned/" + pin(next) + ".pem"));
        assertEquals(audit("pin add client=demo-client x5t=" + pin(next)), lastAuditLine());
        assertEquals(demoTruststore(), truststoreAliases());

        Result remove = idsvc("pin", "remove", "demo-client", demoPin());
        assertEquals(0, remove.exit(), remove.err());
        assertEquals("removed pin " + demoPin() + " from client demo-client; deleted trust/pinned/" + demoPin() + ".pem\n", remove.out());
        String after = read("clients/demo-client.properties");
        // only the pins line changed: every comment and other line is kept
        assertEquals(file.replace("\npins=" + demoPin() + " " + pin(next) + "\n", "\npins=" + pin(next) + "\n"), after);
        assertFalse(Files.exists(home.resolve("trust/pinned/" + demoPin() + ".pem")));
        assertEquals(audit("pin remove client=demo-client x5t=" + demoPin()), lastAuditLine());
    }

    @Test
    void pinningASelfSignedCertificateAddsItToTheTruststoreAndUnpinningRemovesIt() {
        Issued next = CertificateIssuer.selfSignedClient(DemoHome.OTHER_CLIENT_DN);
        assertEquals(0, idsvc("pin", "add", "other-client", pem("next.pem", next).toString()).exit());
        String a = "pinned-other-client-";
        assertEquals(List.of("client-ca-demo-ca", a + otherPin().toLowerCase(Locale.ROOT), a + pin(next).toLowerCase(Locale.ROOT))
                .stream().sorted().toList(), truststoreAliases());
        Result r = idsvc("pin", "remove", "other-client", otherPin());
        assertEquals(0, r.exit());
        assertEquals(List.of("client-ca-demo-ca", a + pin(next).toLowerCase(Locale.ROOT)), truststoreAliases());
        Result last = idsvc("pin", "remove", "other-client", pin(next));
        assertEquals("removed pin " + pin(next) + " from client other-client; deleted trust/pinned/" + pin(next) + ".pem\n"
                + "client other-client has no pin left: it cannot authenticate until one is added\n" + AdminHome.TRUSTSTORE_CHANGED + "\n", last.out());
        assertTrue(read("clients/other-client.properties").contains("\npins=\n"));
        assertEquals(List.of("client-ca-demo-ca"), truststoreAliases());
    }

    @Test
    void refusesCertificatesThatDoNotFitTheClient() throws Exception {
        Path garbage = writeFile("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        Path empty = writeFile("empty.pem", "hello\n");
        Path key = demoDir.resolve("demo-client-key.pem");
        Path ca = demoDir.resolve("ca.pem");
        Path selfSigned = demoDir.resolve("other-client.pem");
        Path caIssued = demoDir.resolve("demo-client.pem");
        Path unregistered = demoDir.resolve("unregistered.pem");
        Issued foreignCa = CertificateIssuer.certificateAuthority("CN=Foreign CA,C=BE");
        Path foreign = pem("foreign.pem", client(foreignCa, DemoHome.DEMO_CLIENT_DN, 30));
        Path missing = dir.resolve("missing.pem");

        assertRefusedPrefix("idsvc pin add: " + garbage + ": not readable as PEM: ", "pin", "add", "demo-client", garbage.toString());
        assertRefused(1, "idsvc pin add: " + empty + ": no PEM certificate found", "pin", "add", "demo-client", empty.toString());
        assertRefused(1, "idsvc pin add: " + missing + ": no such file", "pin", "add", "demo-client", missing.toString());
        assertRefused(1, "idsvc pin add: " + key + ": expected a certificate, found a private key", "pin", "add", "demo-client", key.toString());
        for (String client : List.of("demo-client", "other-client")) {
            assertRefused(1, "idsvc pin add: " + ca + " holds a CA certificate (" + DemoHome.CA_DN
                    + "), not a client certificate; a CA is trusted with: idsvc ca add", "pin", "add", client, ca.toString());
        }
        assertRefusedPrefix("idsvc pin add: the certificate in " + selfSigned + " (issued by " + DemoHome.OTHER_CLIENT_DN
                + ") does not chain to a CA in trust/client-ca/: ", "pin", "add", "demo-client", selfSigned.toString());
        assertRefusedPrefix("idsvc pin add: the certificate in " + foreign + " (issued by CN=Foreign CA,C=BE) does not chain to a CA"
                + " in trust/client-ca/: ", "pin", "add", "demo-client", foreign.toString());
        assertRefused(1, "idsvc pin add: client 'other-client' uses self_signed_tls_client_auth but the certificate in " + caIssued
                + " is issued by " + DemoHome.CA_DN + ", not self-signed", "pin", "add", "other-client", caIssued.toString());
        assertRefused(1, "idsvc pin add: the certificate in " + unregistered + " does not match client 'demo-client': subject "
                + DemoHome.UNREGISTERED_DN + " is not " + DemoHome.DEMO_CLIENT_DN, "pin", "add", "demo-client", unregistered.toString());
        assertRefused(1, "idsvc pin add: client 'demo-client' already pins " + demoPin(), "pin", "add", "demo-client", caIssued.toString());
        Issued expired = CertificateIssuer.client(demo.ca(), DemoHome.DEMO_CLIENT_DN, now.minusSeconds(86400 * 30),
                now.minusSeconds(86400), CertificateIssuer.KeyType.EC_P256);
        Path expiredPem = pem("expired.pem", expired);
        assertRefused(1, "idsvc pin add: " + expiredPem + ": the certificate expired on " + expired.certificate().getNotAfter().toInstant(),
                "pin", "add", "demo-client", expiredPem.toString());
        assertRefused(1, "idsvc pin remove: client 'demo-client' has no pin 'nope' (see: idsvc client show demo-client)",
                "pin", "remove", "demo-client", "nope");
        assertRefused(1, "idsvc pin remove: client 'demo-client' has no pin '" + otherPin() + "' (see: idsvc client show demo-client)",
                "pin", "remove", "demo-client", otherPin());
    }

    void assertRefusedPrefix(String prefix, String... args) {
        var before = snapshot();
        Result r = idsvc(args);
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith(prefix), r.err());
        assertEquals(1, r.err().split("\n").length, r.err());
        assertEquals(before, snapshot());
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
