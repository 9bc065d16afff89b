package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import be.idsvc.json.Json;

/** {@code idsvc readout verify} on the README's example: a public test card's readout and its test roots. */
class ReadoutVerifyCommandTest {
    static final String FILE = "docs/examples/beidconnect-virtual-2017.readout.json";
    static final String TEST_TRUST = "docs/examples/test-trust";

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IdsvcCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheClaimsOfAGenuineCard() throws Exception {
        Run r = run("readout", "verify", FILE, "--trust", TEST_TRUST, "--lenient", "--at", "2024-01-01T00:00:00Z");
        assertEquals(0, r.status(), r.err());
        Map<String, Object> claims = Json.readObject(r.out());
        assertEquals("Alice Bert Specimen eID 18-75", claims.get("name"));
        assertEquals("98082100029", claims.get("national_number"));
        assertEquals("000001014759", claims.get("card_number"));
        assertEquals(false, claims.get("challenge_verified"));
        assertTrue(!claims.containsKey("photo"), "the photo only with --photo");
        assertTrue(Json.readObject(run("readout", "verify", FILE, "--trust", TEST_TRUST, "--lenient", "--photo",
                "--at", "2024-01-01T00:00:00Z").out()).containsKey("photo"));
    }

    @Test
    void printsThePreciseReasonOfARefusal() {
        Run strict = run("readout", "verify", FILE, "--trust", TEST_TRUST, "--at", "2024-01-01T00:00:00Z");
        assertEquals(1, strict.status());
        assertEquals("refused: RRN_CERT_SUBJECT: RRN certificate subject CN=eID TEST RRN, O=TEST, C=BE is not the configured"
                + " CN=RRN, O=RRN, C=BE\n", strict.err(), "without --lenient, the production rules apply");
        Run production = run("readout", "verify", FILE, "--trust", "server-config/eid-trust");
        assertEquals(1, production.status());
        assertTrue(production.err().startsWith("refused: RRN_CERT_UNTRUSTED: "), "production trust refuses a test card: " + production.err());
        Run challenge = run("readout", "verify", FILE, "--trust", TEST_TRUST, "--lenient", "--at", "2024-01-01T00:00:00Z",
                "--challenge", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertTrue(challenge.err().startsWith("refused: CHALLENGE_SIGNATURE_MISSING: "), challenge.err());
        Run expired = run("readout", "verify", FILE, "--trust", TEST_TRUST, "--lenient", "--at", "2030-01-01T00:00:00Z");
        assertTrue(expired.err().startsWith("refused: CARD_EXPIRED: "), expired.err());
    }

    @Test
    void usageErrors() {
        assertEquals(2, run("readout").status());
        assertEquals(2, run("readout", "verify").status());
        assertEquals(2, run("readout", "verify", FILE, "--challenge", "***").status());
        assertEquals(2, run("readout", "verify", FILE, "--at", "yesterday").status());
        assertEquals(1, run("readout", "verify", "no-such-file.json", "--trust", TEST_TRUST).status());
        assertEquals(1, run("readout", "verify", "pom.xml", "--trust", TEST_TRUST).status(), "not JSON");
    }
}
