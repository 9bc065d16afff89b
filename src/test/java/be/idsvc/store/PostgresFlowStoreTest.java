package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.IdsvcCli;
import be.idsvc.core.Secrets;
import be.idsvc.store.FlowStore.CodeLookup;

/**
 * The store suite on a real PostgreSQL server ({@link LocalPostgres}), plus what only a server can
 * show: a restart of the server, an outage, and a server lost between a redemption's statements.
 * Every DataSource here is a validating pool configured like the container's DataSource in server.xml
 * ({@code validationQuery="SELECT 1"}, {@code testOnBorrow="true"}): that is what lets the same pool
 * drop the broken connections and recover by itself once the server is back.
 */
class PostgresFlowStoreTest extends FlowStoreContract {
    @RegisterExtension
    static final LocalPostgres.Extension POSTGRES = new LocalPostgres.Extension();

    private final List<org.apache.tomcat.jdbc.pool.DataSource> pools = new ArrayList<>();

    @Override
    String newDatabase() {
        return POSTGRES.server().createDatabase();
    }

    /** A pool with the container's settings (server.xml), closed after the test. */
    @Override
    DataSource dataSource(String url) {
        return pool(url);
    }

    /** A pool on the test's database, closed after the test. */
    private org.apache.tomcat.jdbc.pool.DataSource pooled() {
        return pool(url);
    }

    private org.apache.tomcat.jdbc.pool.DataSource pool(String url) {
        PoolProperties p = new PoolProperties();
        p.setUrl(url);
        p.setDriverClassName("org.postgresql.Driver");
        p.setUsername(LocalPostgres.user());
        p.setPassword("");
        p.setInitialSize(0);
        p.setMaxActive(20);
        p.setMaxIdle(10);
        p.setMinIdle(0);
        p.setMaxWait(10_000);
        p.setValidationQuery("SELECT 1");
        p.setValidationQueryTimeout(5);
        p.setTestOnBorrow(true);
        p.setValidationInterval(0); // Tomcat JDBC pool validates at most every 30 s by default; DBCP (the container's) every borrow
        p.setDefaultAutoCommit(true);
        p.setRollbackOnReturn(true);
        var pool = new org.apache.tomcat.jdbc.pool.DataSource(p);
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void closePoolsAndEnsureServer() {
        pools.forEach(p -> p.close(true));
        if (!POSTGRES.server().isRunning()) POSTGRES.server().startServer();
    }

    @Test
    void adminCliMigratesAnEmptyDatabase(@TempDir Path dir) throws Exception {
        String empty = newDatabase();
        Path passwordFile = Files.writeString(dir.resolve("password"), "not-checked-by-trust-auth\n");
        String[] args = {"store", "migrate", "--jdbc-url", empty, "--user", LocalPostgres.user(), "--password-file", passwordFile.toString()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, IdsvcCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertEquals("store schema migrated from none to version 4\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("1:SQL:true", "2:SQL:true", "3:SQL:true", "4:SQL:true"), history(dataSource(empty)));
    }

    @Test
    void restartLosesNothing() {
        var first = pooled();
        FlowStore before = new FlowStore(first);
        String code = before.issueCode(grant(), NOW + 60);
        String redeemed = before.issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        assertTrue(before.redeemCode(redeemed, at, token(), NOW));
        String browser = Secrets.newHandle();
        String flowId = Secrets.newHandle();
        assertTrue(before.attachIdentity(flowId, browser, alice, NOW + 600, NOW));
        first.close(true);

        POSTGRES.server().stopServer();
        POSTGRES.server().startServer();

        DataSource second = pooled();
        StoreSchema.create(second);
        FlowStore after = new FlowStore(second);
        assertEquals("nonce-1", after.findCode(code, NOW).grant().nonce());
        assertEquals(CodeLookup.Status.REDEEMED, after.findCode(redeemed, NOW).status());
        assertEquals("demo", after.findAccessToken(at, NOW).orElseThrow().clientId());
        assertEquals("85073003328", after.findFlowProgress(flowId, browser, NOW).orElseThrow().identity().nationalNumber());
    }

    @Test
    void outageIsStoreUnavailableAndTheSameStoreRecoversByItself() {
        FlowStore s = new FlowStore(pooled());
        String code = s.issueCode(grant(), NOW + 60);
        String browser = Secrets.newHandle();
        String flowId = Secrets.newHandle();
        String at = Secrets.newHandle();

        POSTGRES.server().stopServer(); // the pool now holds connections to a server that is gone
        assertThrows(StoreUnavailableException.class, () -> s.issueCode(grant(), NOW + 60));
        assertThrows(StoreUnavailableException.class, () -> s.findCode(code, NOW));
        assertThrows(StoreUnavailableException.class, () -> s.redeemCode(code, at, token(), NOW));
        assertThrows(StoreUnavailableException.class, () -> s.findAccessToken(at, NOW));
        assertThrows(StoreUnavailableException.class, () -> s.findFlowProgress(flowId, browser, NOW));
        assertThrows(StoreUnavailableException.class, () -> s.attachIdentity(flowId, browser, alice, NOW + 600, NOW));
        assertThrows(StoreUnavailableException.class, () -> s.decideFlow(flowId, false, NOW + 600, NOW));
        assertThrows(StoreUnavailableException.class, () -> s.recordChallengeUse(Secrets.newHandle(), NOW + 360));
        assertThrows(StoreUnavailableException.class, () -> s.revokeAccessToken(at, "demo"));
        assertThrows(StoreUnavailableException.class, () -> s.purgeExpired(NOW));
        POSTGRES.server().startServer();

        // the same FlowStore on the same pool works again, without being told
        assertEquals(CodeLookup.Status.VALID, s.findCode(code, NOW).status());
        assertTrue(s.redeemCode(code, at, token(), NOW));
        assertTrue(s.findAccessToken(at, NOW).isPresent());
        assertTrue(s.attachIdentity(flowId, browser, alice, NOW + 600, NOW));
    }

    @Test
    void serverLostBetweenTheRedemptionsStatementsLeavesTheCodeUntouched() throws Exception {
        DataSource shared = pooled();
        FlowStore s = new FlowStore(shared);
        String code = s.issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        // the code's UPDATE has run (row locked, not committed) when the server dies, like a crash
        FlowStore doomed = new FlowStore(failingBefore(shared, "INSERT INTO idsvc_access_token", () -> POSTGRES.server().crashServer()));
        assertThrows(StoreUnavailableException.class, () -> doomed.redeemCode(code, at, token(), NOW));
        POSTGRES.server().startServer();

        assertEquals(CodeLookup.Status.VALID, s.findCode(code, NOW).status());
        assertEquals(0, count("idsvc_access_token"));
        assertTrue(s.redeemCode(code, at, token(), NOW), "the code is still redeemable, once");
        assertEquals(CodeLookup.Status.REDEEMED, s.findCode(code, NOW).status());
    }
}
