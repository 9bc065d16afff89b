package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.idsvc.pki.CertificateIssuer;
import be.idsvc.pki.CertificateIssuer.Issued;

/**
 * Issue 13, defect 2, the CLI's side: {@code idsvc check} lists every file of the home that does
 * not parse and exits 1; while one does, idsvc refuses every change that adds trust, and still
 * carries out removals (of the broken item itself, or of anything else: refusing a revocation
 * over an unrelated typo would fail open).
 */
class BrokenHomeTest extends CliTestSupport {
    static final String BROKEN_CLIENT = "clients/other-client.properties: does not parse (redirect_uris is missing);"
            + " client other-client is refused until the file is fixed or removed (idsvc client remove other-client)";
    static final String REFUSAL = "the service home does not parse, so idsvc makes no change but a removal until it is"
            + " fixed (see: idsvc check): ";

    @BeforeEach
    void breakOtherClient() throws Exception {
        Path f = home.resolve("clients/other-client.properties");
        Files.writeString(f, Files.readString(f).replaceAll("(?m)^redirect_uris=.*$", "redirect_uris="));
    }

    private void write(String relative, String content) throws Exception {
        Path f = home.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void checkListsEveryBrokenFileAndExits1() throws Exception {
        write("trust/client-ca/bad.pem", "not a certificate\n");
        write("trust/eid/rrn-ca/bad-root.pem", "not a certificate\n");
        write("trust/eid/citizen-ca/bad-ca.pem", "not a certificate\n");
        write("keys/signing/bad.jwk", "{\"kty\":\"EC\"}\n");
        write("clients/Wrong.properties", "client_id=right\n");
        Result r = idsvc("check");
        assertEquals(1, r.exit(), r.err());
        assertEquals("", r.err());
        String out = r.out();
        for (String line : new String[] {
                "clients/Wrong.properties: does not parse (a client's file must be named right.properties);"
                        + " client Wrong is refused until the file is fixed or removed (idsvc client remove Wrong)",
                BROKEN_CLIENT,
                "trust/client-ca/bad.pem: does not parse (no PEM certificate found);"
                        + " this CA is not trusted until the file is fixed or removed (idsvc ca remove bad)",
                "trust/eid/rrn-ca/bad-root.pem: does not parse (no PEM certificate found);"
                        + " this eID anchor is not trusted until the file is fixed or removed",
                "trust/eid/citizen-ca/bad-ca.pem: does not parse (no PEM certificate found);"
                        + " this eID anchor is not trusted until the file is fixed or removed"}) {
            assertTrue(out.contains(line + "\n"), "missing: " + line + "\nin:\n" + out);
        }
        assertTrue(out.lines().anyMatch(l -> l.startsWith("keys/signing/bad.jwk: does not parse (")
                && l.endsWith("); this key is not used until the file is fixed or removed")), out);
        // the healthy rest is still checked
        assertTrue(out.contains("ca demo-ca: no revocation configured"), out);
    }

    @Test
    void changesThatAddTrustAreRefusedAndChangeNothing() {
        Issued next = client(demo.ca(), DemoHome.DEMO_CLIENT_DN, 400);
        assertRefused(1, "idsvc pin add: " + REFUSAL + BROKEN_CLIENT, "pin", "add", "demo-client", pem("next.pem", next).toString());
        assertRefused(1, "idsvc client add: " + REFUSAL + BROKEN_CLIENT, "client", "add", "shop", "--auth",
                "self_signed_tls_client_auth", "--redirect-uri", "https://shop.example/cb");
        Issued ca = CertificateIssuer.certificateAuthority("CN=Second CA,O=Test,C=BE");
        assertRefused(1, "idsvc ca add: " + REFUSAL + BROKEN_CLIENT, "ca", "add", pem("ca2.pem", ca).toString());
        assertRefused(1, "idsvc keys rotate: " + REFUSAL + BROKEN_CLIENT, "keys", "rotate");
        // the broken client's own pins cannot be edited: its file cannot be rewritten safely
        assertRefused(1, "idsvc pin remove: clients/other-client.properties does not parse (redirect_uris is missing):"
                + " fix it, or remove the client with: idsvc client remove other-client",
                "pin", "remove", "other-client", pin(demo.otherClient()));
    }

    @Test
    void listAndShowNameTheBrokenClient() {
        Result list = idsvc("client", "list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().endsWith(String.format("%-24s REFUSED: clients/other-client.properties does not parse"
                + " (redirect_uris is missing)%n", "other-client")), list.out());
        assertTrue(list.out().startsWith("demo-client "), list.out());
        Result show = idsvc("client", "show", "other-client");
        assertEquals(1, show.exit());
        assertEquals("idsvc client show: clients/other-client.properties does not parse (redirect_uris is missing):"
                + " fix it, or remove the client with: idsvc client remove other-client\n", show.err());
    }

    @Test
    void aPinRemovalOnAHealthyClientStillApplies() {
        Result r = idsvc("pin", "remove", "demo-client", pin(demo.demoClient()));
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        assertTrue(read("clients/demo-client.properties").contains("\npins=\n"));
        assertEquals(audit("pin remove client=demo-client x5t=" + pin(demo.demoClient())), lastAuditLine());
    }

    @Test
    void theBrokenClientItselfCanBeRemovedAndThenTheHomeParsesAgain() {
        Result r = idsvc("client", "remove", "other-client");
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        assertFalse(Files.exists(home.resolve("clients/other-client.properties")));
        // its pinned certificate is pinned by nobody else: deleted, and gone from the TLS layer
        assertFalse(Files.exists(home.resolve("trust/pinned/" + pin(demo.otherClient()) + ".pem")));
        assertEquals(java.util.List.of("client-ca-demo-ca"), truststoreAliases());
        assertEquals(audit("client remove client=other-client pins=" + pin(demo.otherClient()) + " deleted="
                + pin(demo.otherClient())), lastAuditLine());
        Result check = idsvc("check");
        assertFalse(check.out().contains("does not parse"), check.out());
        Issued next = client(demo.ca(), DemoHome.DEMO_CLIENT_DN, 400);
        assertEquals(0, idsvc("pin", "add", "demo-client", pem("next.pem", next).toString()).exit());
    }

    @Test
    void aBrokenCaFileCanBeRemoved() throws Exception {
        write("trust/client-ca/bad.pem", "not a certificate\n");
        Result r = idsvc("ca", "remove", "bad");
        assertEquals("", r.err());
        assertEquals(0, r.exit());
        assertFalse(Files.exists(home.resolve("trust/client-ca/bad.pem")));
        assertEquals(audit("ca remove ca=bad x5t=-"), lastAuditLine());
    }
}
