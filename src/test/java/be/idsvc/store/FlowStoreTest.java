package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.idsvc.core.AuthorizationRequest;
import be.idsvc.core.Identity;
import be.idsvc.core.Scope;
import be.idsvc.core.Secrets;
import be.idsvc.store.FlowStore.AccessTokenGrant;
import be.idsvc.store.FlowStore.CodeGrant;
import be.idsvc.store.FlowStore.CodeLookup;

class FlowStoreTest {
    static final long NOW = 1_800_000_000L;
    JdbcDataSource ds;
    FlowStore store;
    final Identity alice = new Identity("85073003328", Map.of("name", "Alice Specimen"), "urn:be:idsvc:acr:sandbox-test", List.of("test"), NOW);

    @BeforeEach
    void setUp() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
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

    @Test
    void databaseHoldsNoHandleAndNoIdentityInTheClear() throws Exception {
        String code = store.issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        store.redeemCode(code, at, new AccessTokenGrant("demo", "thumb", Set.of(Scope.PROFILE), Map.of("name", "Alice Specimen"), NOW + 300), NOW);
        String browser = Secrets.newHandle();
        String ref = store.createFlow(new AuthorizationRequest("demo", "http://127.0.0.1:8765/callback", Set.of(Scope.OPENID), "s", "n",
                "c", Set.of(), -1, List.of()), browser, NOW + 600);
        store.attachIdentity(ref, browser, alice, NOW);
        String dump = dumpAll();
        for (String secret : List.of(code, at, ref, browser, "Alice Specimen", "85073003328")) {
            assertFalse(dump.contains(secret), "the database holds " + secret + " in the clear");
        }
    }

    @Test
    void flowOpensOnlyForItsBrowser() {
        String browser = Secrets.newHandle();
        String ref = store.createFlow(new AuthorizationRequest("demo", "http://127.0.0.1:8765/callback", Set.of(Scope.OPENID), "s", null,
                "c", Set.of("login"), 30, List.of("nl")), browser, NOW + 600);
        assertTrue(store.attachIdentity(ref, browser, alice, NOW));
        var flow = store.findFlow(ref, browser, NOW).orElseThrow();
        assertEquals("85073003328", flow.identity().nationalNumber());
        assertEquals(30, flow.request().maxAge());
        assertEquals(List.of("nl"), flow.request().uiLocales());
        assertNull(flow.request().nonce());
        assertTrue(store.findFlow(ref, Secrets.newHandle(), NOW).isEmpty());
        assertFalse(store.attachIdentity(ref, Secrets.newHandle(), alice, NOW));
        assertTrue(store.findFlow(ref, browser, NOW + 600).isEmpty());
        assertTrue(store.deleteFlow(ref));
        assertFalse(store.deleteFlow(ref));
    }

    @Test
    void purgeDeletesOnlyExpiredRecords() throws Exception {
        store.issueCode(grant(), NOW + 60);
        store.issueCode(grant(), NOW + 120);
        assertEquals(1, store.purgeExpired(NOW + 60));
        assertEquals(1, count("idsvc_code"));
    }

    @Test
    void sealedValueOpensOnlyWithItsHandleAndPurpose() throws Exception {
        byte[] sealed = Sealer.seal("handle", "purpose", "secret".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), Sealer.open("handle", "purpose", sealed));
        assertThrows(java.security.GeneralSecurityException.class, () -> Sealer.open("handle2", "purpose", sealed));
        assertThrows(java.security.GeneralSecurityException.class, () -> Sealer.open("handle", "other", sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(java.security.GeneralSecurityException.class, () -> Sealer.open("handle", "purpose", sealed));
    }

    private int count(String table) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private String dumpAll() throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String t : List.of("idsvc_flow", "idsvc_code", "idsvc_access_token")) {
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
    void aChallengeIsUsedOnceAndOnlyByItsFlow() {
        String ref = Secrets.newHandle();
        String other = Secrets.newHandle();
        String challenge = store.issueChallenge(ref, NOW + 300);
        assertEquals(32, java.util.Base64.getUrlDecoder().decode(challenge).length);
        assertFalse(store.consumeChallenge(other, challenge, NOW), "another flow's challenge");
        assertFalse(store.consumeChallenge(ref, Secrets.newHandle(), NOW), "an unknown challenge");
        assertTrue(store.consumeChallenge(ref, challenge, NOW));
        assertFalse(store.consumeChallenge(ref, challenge, NOW), "a challenge is single-use");

        String late = store.issueChallenge(ref, NOW + 300);
        assertFalse(store.consumeChallenge(ref, late, NOW + 300), "expired");
        assertEquals(1, store.purgeExpired(NOW + 300));
        assertFalse(store.consumeChallenge(ref, null, NOW));
    }

    @Test
    void challengesAreStoredOnlyAsHashes() throws Exception {
        String ref = Secrets.newHandle();
        String challenge = store.issueChallenge(ref, NOW + 300);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT challenge_hash, flow_hash FROM idsvc_challenge")) {
            assertTrue(rs.next());
            assertFalse(rs.getString(1).contains(challenge));
            assertFalse(rs.getString(2).contains(ref));
        }
    }
}
