package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code idsvc store migrate} on an embedded H2 store (PostgresFlowStoreTest runs it on PostgreSQL). */
class StoreCommandTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = IdsvcCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void migratesThenFindsNothingToDo() {
        String url = "jdbc:h2:mem:store-command;DB_CLOSE_DELAY=-1";
        Result first = cli("store", "migrate", "--jdbc-url", url, "--user", "sa");
        assertEquals(0, first.status(), first.err());
        assertEquals("store schema migrated from none to version 4\n", first.out());
        Result again = cli("store", "migrate", "--jdbc-url", url, "--user", "sa");
        assertEquals(0, again.status(), again.err());
        assertEquals("store schema is up to date at version 4\n", again.out());
    }

    @Test
    void usageErrorsAndFailures() {
        assertEquals(2, cli("store").status());
        assertEquals(2, cli("store", "migrate").status());
        assertEquals(2, cli("store", "drop", "--jdbc-url", "jdbc:h2:mem:x").status());
        assertEquals(2, cli("store", "migrate", "--jdbc-url", "jdbc:h2:mem:x", "extra").status());
        Result noFile = cli("store", "migrate", "--jdbc-url", "jdbc:h2:mem:x", "--password-file", dir.resolve("missing").toString());
        assertEquals(1, noFile.status());
        assertTrue(noFile.err().startsWith("idsvc store: cannot read the password file"), noFile.err());
        Result noDriver = cli("store", "migrate", "--jdbc-url", "jdbc:nosuchdb://x/y");
        assertEquals(1, noDriver.status());
        assertTrue(noDriver.err().startsWith("idsvc store: "), noDriver.err());
    }
}
