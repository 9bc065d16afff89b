package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import be.idsvc.config.ClientRegistry;
import be.idsvc.core.Client;

/**
 * Issue 13, defect 5: an option value with a line feed wrote hidden keys into a registration
 * ({@code --subject-dn $'CN=x\nallow_identification_without_pin=true'}). Every control character
 * is a usage error, registrations are written escaped, and the audit line says what was written.
 */
class ControlCharacterTest extends CliTestSupport {
    static final String INJECTED = "CN=x\nallow_identification_without_pin=true";

    @Test
    void aLineFeedInTheSubjectDnIsAUsageErrorAndWritesNothing() {
        assertRefused(2, "idsvc: client add: --subject-dn contains the control character U+000A at position 4;"
                + " option values must be one line of printable text\nusage: see idsvc help",
                "client", "add", "x", "--auth", "tls_client_auth", "--subject-dn", INJECTED,
                "--redirect-uri", "https://x.example/cb");
        assertFalse(Files.exists(home.resolve("clients/x.properties")));
    }

    @Test
    void everyControlCharacterInEveryValueIsRefused() {
        List<String> controls = List.of("\u0000", "\t", "\r", "\n", "\u001b", "\u007f", "\u0080", "\u0085", "\u009f", "\u2028", "\u2029");
        for (String c : controls) {
            String code = String.format("U+%04X", (int) c.charAt(0));
            String tail = " option values must be one line of printable text\nusage: see idsvc help";
            assertRefused(2, "idsvc: client add: --name contains the control character " + code + " at position 2;" + tail,
                    "client", "add", "x", "--auth", "self_signed_tls_client_auth", "--name", "ab" + c,
                    "--redirect-uri", "https://x.example/cb");
            assertRefused(2, "idsvc: client add: --redirect-uri contains the control character " + code + " at position 21;" + tail,
                    "client", "add", "x", "--auth", "self_signed_tls_client_auth",
                    "--redirect-uri", "https://x.example/cb?" + c + "a=1");
            assertRefused(2, "idsvc: client add: --sector contains the control character " + code + " at position 0;" + tail,
                    "client", "add", "x", "--auth", "self_signed_tls_client_auth", "--sector", c + "x.example",
                    "--redirect-uri", "https://x.example/cb");
            assertRefused(2, "idsvc: client add: --scopes contains the control character " + code + " at position 6;" + tail,
                    "client", "add", "x", "--auth", "self_signed_tls_client_auth", "--scopes", "openid" + c + "profile",
                    "--redirect-uri", "https://x.example/cb");
            assertRefused(2, "idsvc: client add: operand 1 contains the control character " + code + " at position 1;" + tail,
                    "client", "add", "x" + c, "--auth", "self_signed_tls_client_auth", "--redirect-uri", "https://x.example/cb");
            assertRefused(2, "idsvc: pin remove: operand 2 contains the control character " + code + " at position 0;" + tail,
                    "pin", "remove", "demo-client", c + pin(demo.demoClient()));
            assertRefused(2, "idsvc: ca add: --name contains the control character " + code + " at position 1;" + tail,
                    "ca", "add", demoDir.resolve("ca.pem").toString(), "--name", "a" + c);
        }
    }

    @Test
    void valuesAreEscapedSoTheRegistrationReadsBackExactly() throws Exception {
        String name = "Caf\u00e9 \\ Z\u00fcrich = #1 !";
        String dn = "CN=a\\,b + OU=\u00e9,O=x\\\\y,C=BE";
        Result r = idsvc("client", "add", "shop", "--auth", "tls_client_auth", "--subject-dn", dn, "--name", name,
                "--redirect-uri", "https://shop.example/cb?a=b&c=d");
        assertEquals(0, r.exit(), r.err());
        byte[] file = Files.readAllBytes(home.resolve("clients/shop.properties"));
        Client c = ClientRegistry.parse(home.resolve("clients/shop.properties"), file);
        assertEquals(name, c.name());
        assertEquals(dn, c.subjectDn());
        assertEquals(List.of("https://shop.example/cb?a=b&c=d"), c.redirectUris());
        assertFalse(c.allowWithoutPin());
        // the audit line records exactly the values written, quoted where they hold spaces or quotes
        assertEquals(audit("client add client=shop auth=tls_client_auth name=\"Caf\u00e9 \\\\ Z\u00fcrich = #1 !\""
                + " subject_dn=\"CN=a\\\\,b + OU=\u00e9,O=x\\\\\\\\y,C=BE\" redirect_uris=https://shop.example/cb?a=b&c=d"
                + " scopes=openid id_token_alg=ES256 sector=shop.example pins=-"), lastAuditLine());
        assertEquals(1, new String(file, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("tls_client_auth_subject_dn=")).count());
    }

    @Test
    void theEscapingAloneKeepsEveryValueOnItsOwnLine() throws Exception {
        // defence in depth: even a value that got past the usage check cannot add a key
        for (String v : List.of("CN=x\nallow_identification_without_pin=true", "a\r\nb=c", " lead", "#x", "!x", "back\\slash",
                "t\tab", "nul\u0000", "del\u007f", "nel\u0085", "ls\u2028x", "ps\u2029x", "caf\u00e9 = : #")) {
            java.util.Properties p = new java.util.Properties();
            p.load(new java.io.StringReader("k=" + ClientCommands.escape(v) + "\n"));
            assertEquals(java.util.Map.of("k", v), new java.util.HashMap<>(p), v);
        }
    }

    @Test
    void commandsThatParseTheirOwnArgumentsAndTheHomeAreCheckedToo() {
        assertRefused(2, "idsvc: store: argument 3 contains the control character U+000A at position 11;"
                + " option values must be one line of printable text\nusage: see idsvc help",
                "store", "migrate", "--jdbc-url", "jdbc:h2:mem\n:x");
        assertRefused(2, "idsvc: client list: --home contains the control character U+2028 at position 1;"
                + " option values must be one line of printable text\nusage: see idsvc help",
                "client", "list", "--home", "/\u2028tmp");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = IdsvcCli.run(new String[] {"--home", home + "\n", "client", "list"}, new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, rc);
        assertEquals("idsvc: --home contains the control character U+000A at position " + home.toString().length()
                + "; option values must be one line of printable text\nusage: see idsvc help\n", err.toString(StandardCharsets.UTF_8));
    }
}
