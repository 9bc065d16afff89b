package be.idsvc.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The tables of the flow store, portable between H2 and PostgreSQL. Times are epoch seconds set by
 * the service (not the database) so that every node judges expiry alike. Handles appear only as
 * hashes; personal data only sealed (see {@link Sealer}).
 */
public final class StoreSchema {
    private StoreSchema() {}

    private static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS idsvc_flow ("
                + " ref_hash VARCHAR(64) PRIMARY KEY,"
                + " browser_hash VARCHAR(64) NOT NULL,"
                + " client_id VARCHAR(64) NOT NULL,"
                + " request VARCHAR(20000) NOT NULL,"
                + " identity BYTEA,"
                + " expires_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS idsvc_flow_expiry ON idsvc_flow (expires_at)",
        "CREATE TABLE IF NOT EXISTS idsvc_code ("
                + " code_hash VARCHAR(64) PRIMARY KEY,"
                + " client_id VARCHAR(64) NOT NULL,"
                + " grant_data BYTEA,"
                + " expires_at BIGINT NOT NULL,"
                + " redeemed_at BIGINT,"
                + " access_token_hash VARCHAR(64))",
        "CREATE INDEX IF NOT EXISTS idsvc_code_expiry ON idsvc_code (expires_at)",
        "CREATE TABLE IF NOT EXISTS idsvc_access_token ("
                + " token_hash VARCHAR(64) PRIMARY KEY,"
                + " client_id VARCHAR(64) NOT NULL,"
                + " cnf_x5t VARCHAR(64) NOT NULL,"
                + " claims BYTEA NOT NULL,"
                + " expires_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS idsvc_access_token_expiry ON idsvc_access_token (expires_at)",
        // eID readout challenges: single-use, bound to one flow, stored as hashes
        "CREATE TABLE IF NOT EXISTS idsvc_challenge ("
                + " challenge_hash VARCHAR(64) PRIMARY KEY,"
                + " flow_hash VARCHAR(64) NOT NULL,"
                + " expires_at BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS idsvc_challenge_expiry ON idsvc_challenge (expires_at)",
    };

    /** Creates what is missing. Both deployments may call it at once; a lost race is retried. */
    public static void create(DataSource ds) {
        SQLException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (String sql : DDL) s.execute(sql);
                return;
            } catch (SQLException e) {
                last = e;
                try {
                    Thread.sleep(200L * (attempt + 1));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new StoreUnavailableException("cannot create the store's tables: " + last.getMessage(), last);
    }
}
