package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import be.idsvc.core.Secrets;

/** Stateless readout challenges on a real (H2) store: nothing stored until one is presented, then single-use. */
class ReadoutChallengesTest {
    static final long NOW = 1_800_000_000L;
    JdbcDataSource ds;
    FlowStore store;
    ReadoutChallenges challenges;
    final String flow = Secrets.newHandle();

    @BeforeEach
    void setUp() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
        StoreSchema.create(ds);
        store = new FlowStore(ds);
        challenges = new ReadoutChallenges(Secrets.sha256("service secret".getBytes()), store);
    }

    @Test
    void issuingWritesNothingAndAChallengeIsUsedOnce() throws Exception {
        String c = null;
        for (int i = 0; i < 100; i++) c = challenges.issue(flow, NOW);
        assertEquals(32, Base64.getUrlDecoder().decode(c).length);
        assertEquals(43, c.length());
        assertEquals(0, usedRows(), "issuing stores nothing");
        assertTrue(challenges.consume(flow, c, NOW + 10));
        assertFalse(challenges.consume(flow, c, NOW + 11), "replayed");
        assertEquals(1, usedRows());
        assertFalse(new ReadoutChallenges(Secrets.sha256("service secret".getBytes()), store).consume(flow, c, NOW + 12),
                "replayed on another node");
    }

    @Test
    void aChallengeOfAnotherFlowAForgedOrATamperedOneIsRefusedAndNotRecorded() throws Exception {
        String c = challenges.issue(flow, NOW);
        assertFalse(challenges.consume(Secrets.newHandle(), c, NOW), "another flow");
        assertFalse(challenges.consume(flow, Secrets.newHandle(), NOW), "never issued");
        assertFalse(new ReadoutChallenges(new byte[32], store).consume(flow, c, NOW), "another service's key");
        byte[] raw = Base64.getUrlDecoder().decode(c);
        for (int i = 0; i < raw.length; i++) {
            byte[] t = raw.clone();
            t[i] ^= 0x40;
            assertFalse(challenges.consume(flow, Secrets.base64Url(t), NOW), "byte " + i);
        }
        for (String junk : new String[] {null, "", "short", "!".repeat(43), c + "A"}) assertFalse(challenges.consume(flow, junk, NOW));
        assertFalse(challenges.consume(null, c, NOW));
        assertEquals(0, usedRows(), "a refused challenge writes nothing");
        assertTrue(challenges.consume(flow, c, NOW), "still usable by its own flow");
    }

    @Test
    void aChallengeLivesThreeHundredSecondsWithThirtySecondsOfSkew() throws Exception {
        assertTrue(challenges.consume(flow, challenges.issue(flow, NOW), NOW + 329));
        assertFalse(challenges.consume(flow, challenges.issue(flow, NOW), NOW + 330), "expired");
        assertTrue(challenges.consume(flow, challenges.issue(flow, NOW + 30), NOW), "issued by a node 30 s ahead");
        assertFalse(challenges.consume(flow, challenges.issue(flow, NOW + 31), NOW), "from the future");
        assertEquals(2, usedRows());
        assertEquals(0, store.purgeExpired(NOW + 359), "kept while any node may still accept it");
        assertEquals(1, store.purgeExpired(NOW + 360));
    }

    int usedRows() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM idsvc_used_challenge")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
