package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.core.Identity;
import be.idsvc.core.Scope;
import be.idsvc.core.Secrets;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.store.FlowStore.CodeLookup;

/**
 * The H2 store on the shipped URL setting, in a process that dies without any shutdown (a child
 * JVM ends with {@code Runtime.halt}, which runs no shutdown hook, as SIGKILL): every change whose
 * call returned before the death is there afterwards. The store-level half of CrashConsistencyIT,
 * quick and deterministic. With H2's default WRITE_DELAY (500 ms) the same child lost 29 of
 * 120 acknowledgements (40 rounds), and 12 of 45 (15 rounds, as here).
 */
class H2KilledProcessTest {
    static final long NOW = 1_800_000_000L;
    static final int CODES = 15;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedChangeOutlivesAKilledProcess() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("idsvc") + ";WRITE_DELAY=0";
        List<String> acks = runChild(url);
        assertEquals(CODES * 3, acks.size(), "the child acknowledged every change: " + acks);

        JdbcDataSource ds = dataSource(url);
        StoreSchema.create(ds);
        FlowStore after = new FlowStore(ds);
        int lost = 0;
        for (String line : acks) {
            String[] f = line.split(" ");
            boolean held = switch (f[0]) {
                case "issued" -> after.findCode(f[1], NOW).status() == CodeLookup.Status.VALID;
                case "redeemed" -> after.findCode(f[1], NOW).status() == CodeLookup.Status.REDEEMED
                        && after.findAccessToken(f[2], NOW).isPresent();
                case "revoked" -> after.findAccessToken(f[1], NOW).isEmpty();
                default -> throw new IllegalStateException(line);
            };
            if (!held) lost++;
        }
        assertEquals(0, lost, "acknowledged changes lost or undone after the kill");
    }

    private List<String> runChild(String url) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), Child.class.getName(), url)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
        assertEquals(9, p.exitValue(), "the child ends by halt(9): " + out);
        List<String> acks = new ArrayList<>();
        for (String line : out.split("\n")) if (line.matches("(issued|redeemed|revoked) .*")) acks.add(line.trim());
        return acks;
    }

    static JdbcDataSource dataSource(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        return ds;
    }

    /** Issues, redeems and revokes, prints each acknowledgement as its call returns, then dies. */
    public static final class Child {
        public static void main(String[] args) throws IOException, java.sql.SQLException {
            JdbcDataSource ds = dataSource(args[0]);
            // A server's pool keeps connections open, so the database stays open; without one, H2
            // would close (and flush) the database whenever its last connection closes.
            java.sql.Connection pool = ds.getConnection();
            StoreSchema.create(ds);
            FlowStore store = new FlowStore(ds);
            Identity alice = new Identity("85073003328", Map.of("name", "Alice Specimen"), "urn:be:idsvc:acr:sandbox-test", List.of("test"), NOW);
            CodeGrant grant = new CodeGrant("demo", "http://127.0.0.1:8765/callback", "challenge", "nonce-1", Set.of(Scope.OPENID), alice);
            AccessTokenGrant token = new AccessTokenGrant("demo", "thumb", Set.of(Scope.OPENID), Map.of("sub", "s"), NOW + 300);
            for (int i = 0; i < CODES; i++) {
                System.out.println("issued " + store.issueCode(grant, NOW + 60));
                String code = store.issueCode(grant, NOW + 60);
                String at = Secrets.newHandle();
                if (!store.redeemCode(code, at, token, NOW)) throw new IllegalStateException("not redeemed");
                System.out.println("redeemed " + code + " " + at);
                String revoked = Secrets.newHandle();
                store.redeemCode(store.issueCode(grant, NOW + 60), revoked, token, NOW);
                if (!store.revokeAccessToken(revoked, "demo")) throw new IllegalStateException("not revoked");
                System.out.println("revoked " + revoked);
            }
            System.out.flush();
            if (!pool.isValid(1)) throw new IllegalStateException("the database closed");
            Runtime.getRuntime().halt(9);
        }
    }
}
