package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: {@code idsvc readout verify FILE} reads a file that came from elsewhere; hostile JSON
 * in it is refused with the reason (exit 1), never a stack trace, and nothing of the file is echoed.
 */
class ReadoutVerifyHostileJsonTest {
    @TempDir
    Path dir;

    private String refused(String json) throws Exception {
        Path file = dir.resolve("readout.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IdsvcCli.run(new String[] {"readout", "verify", file.toString(), "--trust", ReadoutVerifyCommandTest.TEST_TRUST, "--lenient"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hostileJsonIsRefusedWithTheReason() throws Exception {
        String real = Files.readString(Path.of(ReadoutVerifyCommandTest.FILE), StandardCharsets.UTF_8);
        String[][] cases = {
                {real.replaceFirst("\\{", "{\"id\":\"QUJD\","), "a duplicate member name"},
                {"{\"id\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "nesting depth"},
                {"{\"photo\":\"" + "A".repeat(200_000) + "\"}", "String value length"},
                {"{\"x\":\"" + "A".repeat(100_000) + "\"," + "\"y\":\"" + "A".repeat(100_000) + "\"," + "\"z\":\"" + "A".repeat(100_000) + "\"," + "\"w\":\"" + "A".repeat(100_000) + "\"," + "\"v\":\"" + "A".repeat(100_000) + "\"," + "\"u\":\"" + "A".repeat(100_000) + "\"}", "longer than"},
                {"{\"n\":1" + "0".repeat(50) + "}", "Number value length"},
                {"{\"id\":\"SECRET-VALUE\"} SECRET-VALUE", "malformed JSON"},
        };
        for (String[] c : cases) {
            String err = refused(c[0]);
            assertTrue(err.contains("not valid JSON here: ") && err.contains(c[1]), err);
            assertTrue(!err.contains("SECRET") && !err.contains("\tat "), err);
        }
    }
}
