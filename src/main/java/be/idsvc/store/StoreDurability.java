package be.idsvc.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

import javax.sql.DataSource;

import be.idsvc.config.ConfigurationException;

/**
 * Checks at start-up that a commit the service acknowledges outlives a crash of the process
 * (issue 20). H2 in file mode writes its commits in the background by default ({@code WRITE_DELAY}
 * 500 ms): a process killed within that window loses commits whose answers already left, so a
 * revoked token comes back, an issued one disappears, and a redeemed code can be redeemed again.
 * Such a store is refused. PostgreSQL with {@code fsync} or {@code synchronous_commit} off loses
 * commits only when the database server or the machine crashes; that is a warning, not a refusal,
 * because some sites accept it deliberately (a replica with synchronous replication, a test box).
 */
public final class StoreDurability {
    private static final Logger LOG = Logger.getLogger(StoreDurability.class.getName());

    private StoreDurability() {}

    /** Throws {@link ConfigurationException} for a store that would lose acknowledged commits. */
    public static void check(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) checkH2(s);
            else if (product.contains("postgresql")) checkPostgres(s);
        } catch (SQLException e) {
            throw new StoreUnavailableException("store unavailable: " + e.getMessage(), e);
        }
    }

    private static void checkH2(Statement s) throws SQLException {
        // DATABASE_PATH() is null for an in-memory database, which has nothing to lose to a crash
        // that it would not lose anyway.
        String path = single(s, "SELECT DATABASE_PATH()").orElse(null);
        if (path == null) return;
        String delay = single(s, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'").orElse("500");
        if (!"0".equals(delay.trim())) {
            throw new ConfigurationException("the H2 store " + path + " writes commits " + delay + " ms late (WRITE_DELAY="
                    + delay + "): a crash of the server would lose tokens, revocations and redeemed codes that were already"
                    + " acknowledged. Add ;WRITE_DELAY=0 to the DataSource's JDBC URL (server-config/ shows it)");
        }
    }

    private static void checkPostgres(Statement s) throws SQLException {
        String fsync = single(s, "SHOW fsync").orElse("on");
        String syncCommit = single(s, "SHOW synchronous_commit").orElse("on");
        if ("off".equalsIgnoreCase(fsync) || "off".equalsIgnoreCase(syncCommit)) {
            LOG.warning(() -> "the PostgreSQL store runs with fsync=" + fsync + ", synchronous_commit=" + syncCommit
                    + ": a crash of the database server or a power loss can lose tokens, revocations and redeemed codes"
                    + " that were already acknowledged. Turn both on (PostgreSQL's defaults) unless that is intended");
        }
    }

    private static Optional<String> single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }
}
