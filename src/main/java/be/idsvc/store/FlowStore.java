package be.idsvc.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;


import be.idsvc.core.AccessTokenGrant;
import be.idsvc.core.CodeGrant;
import be.idsvc.core.Identity;
import be.idsvc.core.Secrets;
import be.idsvc.json.Json;

/**
 * The state shared by both deployments (DESIGN §5): what people did in a flow (identity,
 * decision), used readout challenges, authorization codes, access tokens. Every handle is stored as its hash; personal data is sealed
 * with a key derived from the handle; a code is redeemed at most once, decided by the database.
 */
public final class FlowStore {
    private static final String FLOW = "flow-identity";
    private static final String CODE = "code-grant";
    private static final String TOKEN = "access-token-claims";

    private final DataSource ds;

    public FlowStore(DataSource ds) {
        this.ds = ds;
    }

    // ---- flow state ---------------------------------------------------------------------------
    // The request itself travels sealed with the browser (FlowTickets); the store learns of a flow
    // only when the person acted: an identity to attach, or a decision to record.

    /**
     * What the store holds for a flow: nothing (empty) until the person identified or declined;
     * then the identity (sealed with a key from the browser secret and the flow id), or the
     * decision that ended the flow (approve, deny, cancel), kept until the ticket expires so the
     * same ticket can neither identify again nor be decided twice.
     */
    public record FlowProgress(Identity identity, boolean decided) {}

    public Optional<FlowProgress> findFlowProgress(String flowId, String browserSecret, long now) {
        return query("SELECT identity, decided_at, expires_at FROM idsvc_flow_state WHERE flow_hash = ?", rs -> {
            if (!rs.next() || rs.getLong(3) <= now) return Optional.<FlowProgress>empty();
            if (rs.getObject(2) != null) return Optional.of(new FlowProgress(null, true));
            byte[] sealed = rs.getBytes(1);
            Identity identity = sealed == null ? null
                    : StoredJson.identity(parse(open(flowKey(flowId, browserSecret), FLOW, sealed)));
            return Optional.of(new FlowProgress(identity, false));
        }, Secrets.lookupHash(flowId));
    }

    /** Attaches (or replaces) the identity of an undecided flow; false once the flow is decided. */
    public boolean attachIdentity(String flowId, String browserSecret, Identity identity, long expiresAt, long now) {
        byte[] sealed = Sealer.seal(flowKey(flowId, browserSecret), FLOW, json(StoredJson.of(identity)));
        String hash = Secrets.lookupHash(flowId);
        if (insertUnlessPresent("INSERT INTO idsvc_flow_state (flow_hash, identity, expires_at) VALUES (?, ?, ?)",
                hash, sealed, expiresAt)) {
            return true;
        }
        return update("UPDATE idsvc_flow_state SET identity = ? WHERE flow_hash = ? AND decided_at IS NULL AND expires_at > ?",
                sealed, hash, now) == 1;
    }

    /**
     * Ends the flow: true for exactly one caller, so a decision is taken once. The identity is
     * dropped; a tombstone stays until {@code expiresAt}, the ticket's own expiry.
     *
     * @param identified only a flow with an identity can be decided (approve); otherwise (deny,
     *                   cancel) a flow nobody identified yet is ended too
     */
    public boolean decideFlow(String flowId, boolean identified, long expiresAt, long now) {
        String hash = Secrets.lookupHash(flowId);
        String decide = "UPDATE idsvc_flow_state SET decided_at = ?, identity = NULL WHERE flow_hash = ? AND decided_at IS NULL"
                + (identified ? " AND identity IS NOT NULL" : "");
        if (update(decide, now, hash) == 1) return true;
        if (identified) return false;
        if (insertUnlessPresent("INSERT INTO idsvc_flow_state (flow_hash, decided_at, expires_at) VALUES (?, ?, ?)",
                hash, now, expiresAt)) {
            return true;
        }
        // an identity arrived between the two statements: decide that row, unless someone else did
        return update(decide, now, hash) == 1;
    }

    // ---- eID readout challenges ------------------------------------------------------------------

    /**
     * Records that a challenge was presented (ReadoutChallenges made and checked it): true for
     * exactly one caller. Only the challenge's hash is kept, until {@code expiresAt}.
     */
    public boolean recordChallengeUse(String challenge, long expiresAt) {
        return insertUnlessPresent("INSERT INTO idsvc_used_challenge (challenge_hash, expires_at) VALUES (?, ?)",
                Secrets.lookupHash(challenge), expiresAt);
    }

    // ---- authorization codes --------------------------------------------------------------------

    public String issueCode(CodeGrant grant, long expiresAt) {
        String code = Secrets.newHandle();
        update("INSERT INTO idsvc_code (code_hash, client_id, grant_data, expires_at) VALUES (?, ?, ?, ?)",
                Secrets.lookupHash(code), grant.clientId(), Sealer.seal(code, CODE, json(StoredJson.of(grant))), expiresAt);
        return code;
    }

    /** What the code grants, or why it cannot be redeemed. Changes nothing. */
    public CodeLookup findCode(String code, long now) {
        return query("SELECT grant_data, expires_at, redeemed_at FROM idsvc_code WHERE code_hash = ?", rs -> {
            if (!rs.next()) return CodeLookup.unknown();
            if (rs.getObject(3) != null) return CodeLookup.redeemed();
            if (rs.getLong(2) <= now) return CodeLookup.expired();
            return CodeLookup.valid(StoredJson.codeGrant(parse(open(code, CODE, rs.getBytes(1)))));
        }, Secrets.lookupHash(code));
    }

    /**
     * Redeems the code and stores the access token in one transaction. False when another request
     * redeemed it first (or it expired meanwhile): the database's row lock decides the one winner.
     * The code's row (its hash, no grant) is kept until the token expires, so that a replay revokes it.
     */
    public boolean redeemCode(String code, String accessToken, AccessTokenGrant token, long now) {
        String codeHash = Secrets.lookupHash(code);
        String tokenHash = Secrets.lookupHash(accessToken);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int won;
                // The redeemed row lives on until the token it bought expires (the purge goes by expires_at):
                // a replay of the code must find it to revoke that token (RFC 6749 §4.1.2), however late.
                try (PreparedStatement ps = c.prepareStatement("UPDATE idsvc_code SET redeemed_at = ?, grant_data = NULL,"
                        + " access_token_hash = ?, expires_at = GREATEST(expires_at, ?)"
                        + " WHERE code_hash = ? AND redeemed_at IS NULL AND expires_at > ?")) {
                    bind(ps, now, tokenHash, token.expiresAt(), codeHash, now);
                    won = ps.executeUpdate();
                }
                if (won != 1) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO idsvc_access_token"
                        + " (token_hash, client_id, cnf_x5t, claims, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                    bind(ps, tokenHash, token.clientId(), token.certificateThumbprint(),
                            Sealer.seal(accessToken, TOKEN, json(StoredJson.of(token))), token.expiresAt());
                    ps.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                // not every pool resets this on return; the next borrower expects auto-commit
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * RFC 6749 §4.1.2: a code presented again means it leaked; the token it bought is revoked.
     * Returns whether a token was revoked.
     */
    public boolean revokeTokenOfRedeemedCode(String code) {
        return update("DELETE FROM idsvc_access_token WHERE token_hash ="
                + " (SELECT access_token_hash FROM idsvc_code WHERE code_hash = ? AND redeemed_at IS NOT NULL)",
                Secrets.lookupHash(code)) > 0;
    }

    // ---- access tokens ----------------------------------------------------------------------------

    public Optional<AccessTokenGrant> findAccessToken(String accessToken, long now) {
        return query("SELECT claims, expires_at FROM idsvc_access_token WHERE token_hash = ?", rs -> {
            if (!rs.next() || rs.getLong(2) <= now) return Optional.<AccessTokenGrant>empty();
            return Optional.of(StoredJson.accessTokenGrant(parse(open(accessToken, TOKEN, rs.getBytes(1)))));
        }, Secrets.lookupHash(accessToken));
    }

    /** RFC 7009: removes the token if it belongs to the client; true when something was revoked. */
    public boolean revokeAccessToken(String accessToken, String clientId) {
        return update("DELETE FROM idsvc_access_token WHERE token_hash = ? AND client_id = ?",
                Secrets.lookupHash(accessToken), clientId) == 1;
    }

    // ---- housekeeping -----------------------------------------------------------------------------

    /** Rows one purge statement deletes at most: short transactions, short row locks. */
    static final int PURGE_BATCH = 500;
    /** Batches per table per run; a larger backlog is left to the next run (every node runs one every 30 s). */
    private static final int PURGE_MAX_BATCHES = 40;
    /** Each table with its key column; the purge finds expired rows through the expires_at index. */
    private static final String[][] EXPIRING = {
        {"idsvc_flow_state", "flow_hash"}, {"idsvc_code", "code_hash"}, {"idsvc_access_token", "token_hash"},
        {"idsvc_used_challenge", "challenge_hash"},
        // written only by versions before V3 (flow tickets); purged until a later migration drops them
        {"idsvc_flow", "ref_hash"}, {"idsvc_challenge", "challenge_hash"}};

    /**
     * Deletes what has expired, in batches of {@link #PURGE_BATCH}; returns how many records went.
     * Every node of a cluster (and both deployments of a node) runs this on the same tables. Each
     * batch locks only rows nobody else holds ({@code SELECT … FOR UPDATE SKIP LOCKED}, on
     * PostgreSQL and H2 alike) and deletes them by key in the same transaction, so purgers never
     * wait for one another nor for a redemption in progress, and no statement deletes an unbounded
     * set at once.
     */
    public int purgeExpired(long now) {
        int total = 0;
        for (String[] t : EXPIRING) {
            for (int batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
                int n = purgeBatch(t[0], t[1], now);
                total += n;
                if (n < PURGE_BATCH) break;
            }
        }
        return total;
    }

    /**
     * One batch in two statements rather than {@code DELETE … WHERE key IN (SELECT … SKIP LOCKED)}:
     * H2 re-evaluates that subquery for every candidate row, which made a batch of 500 cost about
     * a second of CPU (measured: 330-1850 ms, against 20-80 ms for this form).
     */
    private int purgeBatch(String table, String key, long now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                int deleted = 0;
                try (PreparedStatement select = c.prepareStatement("SELECT " + key + " FROM " + table
                        + " WHERE expires_at <= ? LIMIT ? FOR UPDATE SKIP LOCKED");
                        PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE " + key + " = ?")) {
                    bind(select, now, (long) PURGE_BATCH);
                    int locked = 0;
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            delete.setString(1, rs.getString(1));
                            delete.addBatch();
                            locked++;
                        }
                    }
                    if (locked > 0) for (int n : delete.executeBatch()) deleted += Math.max(n, 0);
                }
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    // ---- plumbing -----------------------------------------------------------------------------------

    private static String flowKey(String flowId, String browserSecret) {
        return browserSecret + "." + flowId;
    }

    /** The sealed records keep the JSON form jose4j wrote before issue 21, byte for byte: old rows open, and old nodes read new ones. */
    private static byte[] json(Map<String, Object> map) {
        return Json.writeBytes(map);
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.readObject(json);
        } catch (Json.InvalidJson e) {
            throw new StoreUnavailableException("a stored record is not readable: " + e.getMessage(), e);
        }
    }

    private static String open(String handle, String purpose, byte[] sealed) {
        try {
            return new String(Sealer.open(handle, purpose, sealed), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Only a handle that hashes to this row can get here, so this is tampering or corruption.
            throw new StoreUnavailableException("a stored record does not open with its handle", e);
        }
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return mapper.map(rs);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** True if the row went in, false if its key was there already (SQLSTATE class 23, on H2 and PostgreSQL). */
    private boolean insertUnlessPresent(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) return false;
            throw unavailable(e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof byte[] b) ps.setBytes(i + 1, b);
            else if (a instanceof Long l) ps.setLong(i + 1, l);
            else ps.setString(i + 1, (String) a);
        }
    }

    private static StoreUnavailableException unavailable(SQLException e) {
        return new StoreUnavailableException("store unavailable: " + e.getMessage(), e);
    }

    // ---- records --------------------------------------------------------------------------------------

    /** The outcome of looking a code up. */
    public record CodeLookup(Status status, CodeGrant grant) {
        public enum Status { VALID, UNKNOWN, EXPIRED, REDEEMED }

        static CodeLookup valid(CodeGrant g) {
            return new CodeLookup(Status.VALID, g);
        }

        static CodeLookup unknown() {
            return new CodeLookup(Status.UNKNOWN, null);
        }

        static CodeLookup expired() {
            return new CodeLookup(Status.EXPIRED, null);
        }

        static CodeLookup redeemed() {
            return new CodeLookup(Status.REDEEMED, null);
        }
    }
}
