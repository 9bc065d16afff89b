package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Identity;
import be.idsvc.core.Scope;
import be.idsvc.core.Secrets;
import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.store.FlowStore.CodeLookup;

/**
 * The store's behaviour, the same on every database it supports: {@link H2FlowStoreTest} (the
 * embedded default) and {@link PostgresFlowStoreTest} (a real PostgreSQL server) run these tests.
 */
abstract class FlowStoreContract {
    static final long NOW = 1_800_000_000L;
    String url;
    DataSource ds;
    FlowStore store;
    final Identity alice = new Identity("85073003328", Map.of("name", "Alice Specimen"), "urn:be:idsvc:acr:sandbox-test", List.of("test"), NOW);

    /** The JDBC URL of a new, empty database. */
    abstract String newDatabase();

    /** A new DataSource object on the database at {@code url} (as a second deployment would have). */
    abstract DataSource dataSource(String url);

    @BeforeEach
    void setUp() {
        url = newDatabase();
        ds = dataSource(url);
        StoreSchema.create(ds);
        StoreSchema.create(ds); // idempotent: the second deployment runs it too
        store = new FlowStore(ds);
    }

    CodeGrant grant() {
        return new CodeGrant("demo", "http://127.0.0.1:8765/callback", "challenge", "nonce-1", Set.of(Scope.OPENID, Scope.PROFILE), alice);
    }

    AccessTokenGrant token() {
        return new AccessTokenGrant("demo", "thumb", Set.of(Scope.OPENID), Map.of("sub", "s"), NOW + 300);
    }

    @Test
    void codeIsRedeemedExactlyOnce() {
        String code = store.issueCode(grant(), NOW + 60);
        CodeLookup found = store.findCode(code, NOW);
        assertEquals(CodeLookup.Status.VALID, found.status());
        assertEquals("nonce-1", found.grant().nonce());
        assertEquals("Alice Specimen", found.grant().identity().claims().get("name"));
        assertTrue(store.redeemCode(code, Secrets.newHandle(), token(), NOW));
        assertFalse(store.redeemCode(code, Secrets.newHandle(), token(), NOW));
        assertEquals(CodeLookup.Status.REDEEMED, store.findCode(code, NOW).status());
    }

    @Test
    void concurrentRedemptionsHaveOneWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            String code = store.issueCode(grant(), NOW + 60);
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.redeemCode(code, Secrets.newHandle(), token(), NOW);
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) if (f.get()) wins++;
            pool.shutdown();
            assertEquals(1, wins, "round " + round);
        }
        assertEquals(20, count("idsvc_access_token"));
    }

    @Test
    void expiredAndUnknownCodesAreTold() {
        String code = store.issueCode(grant(), NOW + 60);
        assertEquals(CodeLookup.Status.EXPIRED, store.findCode(code, NOW + 60).status());
        assertFalse(store.redeemCode(code, Secrets.newHandle(), token(), NOW + 60));
        assertEquals(CodeLookup.Status.UNKNOWN, store.findCode(Secrets.newHandle(), NOW).status());
    }

    @Test
    void replayRevokesTheTokenTheCodeBought() {
        String code = store.issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        assertTrue(store.redeemCode(code, at, token(), NOW));
        assertTrue(store.findAccessToken(at, NOW).isPresent());
        assertTrue(store.revokeTokenOfRedeemedCode(code));
        assertTrue(store.findAccessToken(at, NOW).isEmpty());
    }

    /** Issue 13 defect 8: the purge keeps a redeemed code until the token it bought expires. */
    @Test
    void aReplayAfterThePurgeStillRevokesTheTokenTheCodeBought() {
        String code = store.issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        assertTrue(store.redeemCode(code, at, token(), NOW + 50)); // the token lives until NOW + 300
        store.purgeExpired(NOW + 100);
        assertEquals(CodeLookup.Status.REDEEMED, store.findCode(code, NOW + 100).status());
        assertTrue(store.revokeTokenOfRedeemedCode(code), "the purge forgot the code while its token lives");
        assertTrue(store.findAccessToken(at, NOW + 100).isEmpty());
        // once the token has expired, the redeemed code goes too
        String other = store.issueCode(grant(), NOW + 60);
        assertTrue(store.redeemCode(other, Secrets.newHandle(), token(), NOW));
        store.purgeExpired(NOW + 300);
        assertEquals(CodeLookup.Status.UNKNOWN, store.findCode(other, NOW + 300).status());
    }

    @Test
    void databaseHoldsNoHandleAndNoIdentityInTheClear() throws Exception {
        String code = store.issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        store.redeemCode(code, at, new AccessTokenGrant("demo", "thumb", Set.of(Scope.PROFILE), Map.of("name", "Alice Specimen"), NOW + 300), NOW);
        String browser = Secrets.newHandle();
        String flowId = Secrets.newHandle();
        assertTrue(store.attachIdentity(flowId, browser, alice, NOW + 600, NOW));
        String challenge = Secrets.newHandle();
        assertTrue(store.recordChallengeUse(challenge, NOW + 360));
        String dump = dumpAll();
        for (String secret : List.of(code, at, flowId, browser, challenge, "Alice Specimen", "85073003328")) {
            assertFalse(dump.contains(secret), "the database holds " + secret + " in the clear");
        }
    }

    @Test
    void aFlowIsUnknownUntilIdentifiedAndIsDecidedOnce() {
        String browser = Secrets.newHandle();
        String flowId = Secrets.newHandle();
        assertTrue(store.findFlowProgress(flowId, browser, NOW).isEmpty(), "nothing stored before the person acts");
        assertFalse(store.decideFlow(flowId, true, NOW + 600, NOW), "approve needs an identity");
        assertTrue(store.attachIdentity(flowId, browser, alice, NOW + 600, NOW));
        var progress = store.findFlowProgress(flowId, browser, NOW).orElseThrow();
        assertEquals("85073003328", progress.identity().nationalNumber());
        assertFalse(progress.decided());
        assertThrows(StoreUnavailableException.class, () -> store.findFlowProgress(flowId, Secrets.newHandle(), NOW),
                "the sealed identity opens only with its browser's secret");
        assertTrue(store.attachIdentity(flowId, browser, alice, NOW + 600, NOW), "identifying again replaces the identity");
        assertTrue(store.findFlowProgress(flowId, browser, NOW + 600).isEmpty(), "expired with its ticket");

        assertTrue(store.decideFlow(flowId, true, NOW + 600, NOW));
        assertFalse(store.decideFlow(flowId, true, NOW + 600, NOW), "decided once");
        assertFalse(store.decideFlow(flowId, false, NOW + 600, NOW), "nor cancelled afterwards");
        assertEquals(new FlowStore.FlowProgress(null, true), store.findFlowProgress(flowId, browser, NOW).orElseThrow());
        assertFalse(store.attachIdentity(flowId, browser, alice, NOW + 600, NOW), "a decided flow cannot be identified again");
    }

    @Test
    void aFlowCancelledBeforeIdentifyingLeavesATombstone() throws Exception {
        String browser = Secrets.newHandle();
        String flowId = Secrets.newHandle();
        assertTrue(store.decideFlow(flowId, false, NOW + 600, NOW));
        assertFalse(store.decideFlow(flowId, false, NOW + 600, NOW));
        assertFalse(store.attachIdentity(flowId, browser, alice, NOW + 600, NOW));
        assertTrue(store.findFlowProgress(flowId, browser, NOW).orElseThrow().decided());
        assertEquals(1, count("idsvc_flow_state"));
        assertEquals(1, store.purgeExpired(NOW + 600));
        assertEquals(0, count("idsvc_flow_state"));
    }

    @Test
    void purgeDeletesOnlyExpiredRecords() throws Exception {
        store.issueCode(grant(), NOW + 60);
        store.issueCode(grant(), NOW + 120);
        assertEquals(1, store.purgeExpired(NOW + 60));
        assertEquals(1, count("idsvc_code"));
    }

    @Test
    void purgeDeletesExpiredFlowsCodesAndTokens() throws Exception {
        String browser = Secrets.newHandle();
        String oldFlow = Secrets.newHandle();
        String liveFlow = Secrets.newHandle();
        assertTrue(store.attachIdentity(oldFlow, browser, alice, NOW + 10, NOW));
        assertTrue(store.attachIdentity(liveFlow, browser, alice, NOW + 600, NOW));
        store.issueCode(grant(), NOW + 10);
        String liveCode = store.issueCode(grant(), NOW + 600);
        String oldToken = Secrets.newHandle();
        String liveToken = Secrets.newHandle();
        assertTrue(store.redeemCode(store.issueCode(grant(), NOW + 600), oldToken,
                new AccessTokenGrant("demo", "thumb", Set.of(Scope.OPENID), Map.of(), NOW + 10), NOW));
        assertTrue(store.redeemCode(store.issueCode(grant(), NOW + 600), liveToken, token(), NOW));
        assertEquals(3, store.purgeExpired(NOW + 10));
        assertTrue(store.findFlowProgress(oldFlow, browser, NOW).isEmpty());
        assertTrue(store.findFlowProgress(liveFlow, browser, NOW).isPresent());
        assertEquals(CodeLookup.Status.VALID, store.findCode(liveCode, NOW).status());
        assertTrue(store.findAccessToken(oldToken, NOW).isEmpty());
        assertTrue(store.findAccessToken(liveToken, NOW).isPresent());
        assertEquals(0, store.purgeExpired(NOW + 10));
    }

    @Test
    void purgeWorksThroughABacklogLargerThanOneBatch() throws Exception {
        int expired = FlowStore.PURGE_BATCH * 2 + 34;
        insertBareCodes(expired, NOW + 10);
        String live = store.issueCode(grant(), NOW + 600);
        assertEquals(expired, store.purgeExpired(NOW + 10));
        assertEquals(1, count("idsvc_code"));
        assertEquals(CodeLookup.Status.VALID, store.findCode(live, NOW).status());
    }

    @Test
    void nodesPurgingAtOnceDeleteEachExpiredRecordOnceAndNeverFail() throws Exception {
        int expired = FlowStore.PURGE_BATCH * 4;
        insertBareCodes(expired, NOW + 10);
        String live = store.issueCode(grant(), NOW + 600);
        int nodes = 3;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> purged = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                FlowStore node = new FlowStore(ds); // each node has its own store object on the shared database
                purged.add(pool.submit(() -> {
                    start.await();
                    return node.purgeExpired(NOW + 10);
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : purged) total += f.get();
            assertEquals(expired, total, "every expired record is deleted by exactly one node");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, count("idsvc_code"));
        assertEquals(CodeLookup.Status.VALID, store.findCode(live, NOW).status());
    }

    /** Expired code rows without a grant (what a purge sees of them), inserted in one batch. */
    private void insertBareCodes(int n, long expiresAt) throws Exception {
        try (Connection c = ds.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO idsvc_code (code_hash, client_id, expires_at) VALUES (?, 'demo', ?)")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, Secrets.lookupHash(Secrets.newHandle()));
                ps.setLong(2, expiresAt);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Test
    void failedRedemptionLeavesTheCodeUntouched() throws Exception {
        String code = store.issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        // the token's INSERT fails after the code's UPDATE succeeded: the transaction must roll back
        FlowStore failing = new FlowStore(failingBefore(ds, "INSERT INTO idsvc_access_token", () -> {
            throw new SQLException("injected failure between the redemption's statements");
        }));
        assertThrows(StoreUnavailableException.class, () -> failing.redeemCode(code, at, token(), NOW));
        assertEquals(CodeLookup.Status.VALID, store.findCode(code, NOW).status());
        assertEquals(0, count("idsvc_access_token"));
        assertTrue(store.redeemCode(code, at, token(), NOW), "the code is still redeemable");
        assertTrue(store.findAccessToken(at, NOW).isPresent());
    }

    // ---- the schema (Flyway) ---------------------------------------------------------------------

    @Test
    void schemaIsVersionedAndAppliedOnce() throws Exception {
        assertEquals(List.of("1:SQL:true", "2:SQL:true", "3:SQL:true", "4:SQL:true"), history(ds));
    }

    @Test
    void databaseMadeByTheOldStoreSchemaIsBaselinedAndKeepsItsData() throws Exception {
        String oldUrl = newDatabase();
        DataSource old = dataSource(oldUrl);
        try (Connection c = old.getConnection(); Statement s = c.createStatement()) {
            for (String sql : PRE_FLYWAY_DDL) s.execute(sql);
        }
        FlowStore before = new FlowStore(old);
        String code = before.issueCode(grant(), NOW + 60);

        StoreSchema.create(dataSource(oldUrl));
        StoreSchema.create(dataSource(oldUrl));

        assertEquals(List.of("1:BASELINE:true", "2:SQL:true", "3:SQL:true", "4:SQL:true"), history(old));
        FlowStore after = new FlowStore(dataSource(oldUrl));
        assertEquals("nonce-1", after.findCode(code, NOW).grant().nonce());
        assertTrue(after.redeemCode(code, Secrets.newHandle(), token(), NOW));
    }

    @Test
    void deploymentsStartingAtOnceMigrateOnce() throws Exception {
        String freshUrl = newDatabase();
        int deployments = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(deployments);
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < deployments; i++) {
            DataSource own = dataSource(freshUrl); // distinct objects, as if from distinct containers
            results.add(pool.submit(() -> {
                start.await();
                StoreSchema.create(own);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : results) f.get();
        pool.shutdown();
        DataSource fresh = dataSource(freshUrl);
        assertEquals(List.of("1:SQL:true", "2:SQL:true", "3:SQL:true", "4:SQL:true"), history(fresh));
        FlowStore s = new FlowStore(fresh);
        String code = s.issueCode(grant(), NOW + 60);
        assertTrue(s.redeemCode(code, Secrets.newHandle(), token(), NOW));
    }

    @Test
    void aFailedMigrationLeftInTheHistoryIsRunAgain() throws Exception {
        // what H2 keeps of the newest migration when it failed half-way (PostgreSQL rolls it back instead)
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE \"" + StoreSchema.HISTORY + "\" SET \"success\" = FALSE WHERE \"version\" = '4'");
            s.execute("DROP TABLE idsvc_probe");
        }
        StoreSchema.create(dataSource(url));
        assertEquals(List.of("1:SQL:true", "2:SQL:true", "3:SQL:true", "4:SQL:true"), history(ds));
        assertEquals(CodeLookup.Status.VALID, store.findCode(store.issueCode(grant(), NOW + 60), NOW).status());
    }

    /** Exactly what StoreSchema created before Flyway (the commit before V1__flow_store.sql). */
    static final String[] PRE_FLYWAY_DDL = {
        "CREATE TABLE IF NOT EXISTS idsvc_flow (ref_hash VARCHAR(64) PRIMARY KEY, browser_hash VARCHAR(64) NOT NULL,"
                + " client_id VARCHAR(64) NOT NULL, request VARCHAR(20000) NOT NULL, identity BYTEA, expires_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS idsvc_flow_expiry ON idsvc_flow (expires_at)",
        "CREATE TABLE IF NOT EXISTS idsvc_code (code_hash VARCHAR(64) PRIMARY KEY, client_id VARCHAR(64) NOT NULL,"
                + " grant_data BYTEA, expires_at BIGINT NOT NULL, redeemed_at BIGINT, access_token_hash VARCHAR(64))",
        "CREATE INDEX IF NOT EXISTS idsvc_code_expiry ON idsvc_code (expires_at)",
        "CREATE TABLE IF NOT EXISTS idsvc_access_token (token_hash VARCHAR(64) PRIMARY KEY, client_id VARCHAR(64) NOT NULL,"
                + " cnf_x5t VARCHAR(64) NOT NULL, claims BYTEA NOT NULL, expires_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS idsvc_access_token_expiry ON idsvc_access_token (expires_at)",
    };

    // ---- helpers ------------------------------------------------------------------------------------

    AuthorizationRequest request() {
        return new AuthorizationRequest("demo", "http://127.0.0.1:8765/callback", Set.of(Scope.OPENID), "s", "n",
                "c", Set.of(), -1, List.of());
    }

    /** The history rows as version:type:success, in order. */
    static List<String> history(DataSource ds) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT \"version\", \"type\", \"success\" FROM \"" + StoreSchema.HISTORY
                        + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) rows.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getBoolean(3));
        }
        return rows;
    }

    interface SqlAction {
        void run() throws SQLException;
    }

    /** A DataSource whose connections run {@code action} before preparing a statement that starts with {@code sqlPrefix}. */
    static DataSource failingBefore(DataSource target, String sqlPrefix, SqlAction action) {
        InvocationHandler dsHandler = (proxy, m, args) -> {
            Object result = invoke(target, m, args);
            if (!(result instanceof Connection c)) return result;
            InvocationHandler connHandler = (p2, m2, a2) -> {
                if (m2.getName().equals("prepareStatement") && a2 != null && a2[0] instanceof String sql && sql.startsWith(sqlPrefix)) {
                    action.run();
                }
                return invoke(c, m2, a2);
            };
            return Proxy.newProxyInstance(FlowStoreContract.class.getClassLoader(), new Class<?>[] {Connection.class}, connHandler);
        };
        return (DataSource) Proxy.newProxyInstance(FlowStoreContract.class.getClassLoader(), new Class<?>[] {DataSource.class}, dsHandler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    int count(String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    String dumpAll() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String t : List.of("idsvc_flow_state", "idsvc_used_challenge", "idsvc_code", "idsvc_access_token")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + t)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            Object o = rs.getObject(i);
                            b.append(o instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(o)).append('|');
                        }
                    }
                }
            }
        }
        return b.toString();
    }

    @Test
    void aPresentedChallengeIsRecordedOnceAndPurgedWhenItExpires() throws Exception {
        String challenge = Secrets.newHandle();
        assertTrue(store.recordChallengeUse(challenge, NOW + 360));
        assertFalse(store.recordChallengeUse(challenge, NOW + 360), "a challenge is single-use");
        assertTrue(store.recordChallengeUse(Secrets.newHandle(), NOW + 360));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT challenge_hash FROM idsvc_used_challenge")) {
            while (rs.next()) assertFalse(rs.getString(1).contains(challenge), "only the hash is stored");
        }
        assertEquals(2, store.purgeExpired(NOW + 360));
        assertEquals(0, count("idsvc_used_challenge"));
    }

    @Test
    void rowsOfThePreviousFlowTablesArePurgedToo() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO idsvc_flow (ref_hash, browser_hash, client_id, request, expires_at)"
                    + " VALUES ('r', 'b', 'demo', '{}', " + (NOW + 10) + ")");
            st.executeUpdate("INSERT INTO idsvc_challenge (challenge_hash, flow_hash, expires_at) VALUES ('c', 'f', " + (NOW + 10) + ")");
        }
        assertEquals(2, store.purgeExpired(NOW + 10));
        assertEquals(0, count("idsvc_flow") + count("idsvc_challenge"));
    }
}
