package be.idsvc.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The versioned schema of the flow store: Flyway migrations in {@code db/migration}, portable
 * between H2 and PostgreSQL, recorded in the table {@value #HISTORY}. Times are epoch seconds set by
 * the service (not the database) so that every node judges expiry alike. Handles appear only as
 * hashes; personal data only sealed (see {@link Sealer}).
 *
 * <p>Both deployments call {@link #create} at start-up, possibly at the same moment. On PostgreSQL
 * Flyway serializes them with an advisory lock. H2 commits DDL at once, so a row lock cannot hold a
 * migration together and two concurrent ones can collide; H2 in file mode admits one process, so a
 * lock for the whole JVM suffices: the deployments have their own class loaders, so it is an
 * interned string (the one object they all see). A migration that still fails is retried; on H2 a
 * failed attempt leaves a failed row in the history, which is removed first (migrations are written
 * to be re-runnable: {@code IF NOT EXISTS}).
 */
public final class StoreSchema {
    /** Flyway's history table; named for the service so it never meets another application's. */
    public static final String HISTORY = "idsvc_schema_history";
    private static final Logger LOG = Logger.getLogger(StoreSchema.class.getName());
    private static final int ATTEMPTS = 5;
    /** A string literal is interned: the same object for every class loader of this JVM. */
    private static final String JVM_WIDE_LOCK = "be.idsvc.store.StoreSchema: migration lock";

    private StoreSchema() {}

    /** Brings the schema to the newest version; a database made before Flyway is baselined at 1. */
    public static void create(DataSource ds) {
        RuntimeException last = null;
        synchronized (JVM_WIDE_LOCK) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    if (attempt > 1) forgetFailedMigrations(ds);
                    MigrateResult r = flyway(ds).migrate();
                    if (r.migrationsExecuted > 0) {
                        LOG.info(() -> "store schema migrated to version " + r.targetSchemaVersion
                                + " (" + r.migrationsExecuted + " migration(s))");
                    }
                    return;
                } catch (FlywayException | StoreUnavailableException e) {
                    last = e;
                    if (attempt < ATTEMPTS) {
                        int n = attempt;
                        LOG.warning(() -> "store schema migration attempt " + n + " failed, retrying: " + e.getMessage());
                        try {
                            Thread.sleep(200L * attempt);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
            }
        }
        throw new StoreUnavailableException("cannot bring the store's schema up to date: " + last.getMessage(), last);
    }

    /** Removes history rows of failed migrations (only H2 keeps them: PostgreSQL rolls the DDL back). */
    static void forgetFailedMigrations(DataSource ds) {
        if (!hasTable(ds, HISTORY)) return;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            int n = s.executeUpdate("DELETE FROM \"" + HISTORY + "\" WHERE \"success\" = FALSE");
            if (n > 0) LOG.warning(() -> "removed " + n + " failed migration(s) from " + HISTORY + " to run them again");
        } catch (SQLException e) {
            throw new StoreUnavailableException("store unavailable: " + e.getMessage(), e);
        }
    }

    /** The schema's current version, or "none" for a database without the store (nothing changes). */
    public static String version(DataSource ds) {
        if (!hasTable(ds, HISTORY)) return hasTable(ds, "idsvc_code") ? "none (made before Flyway)" : "none";
        try {
            var current = flyway(ds).info().current();
            return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
        } catch (FlywayException e) {
            throw new StoreUnavailableException("cannot read the store's schema version: " + e.getMessage(), e);
        }
    }

    /** The Flyway configured for the store; baselines only a database that holds the old tables. */
    static Flyway flyway(DataSource ds) {
        boolean madeBeforeFlyway = hasTable(ds, "idsvc_code") && !hasTable(ds, HISTORY);
        return Flyway.configure(StoreSchema.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/migration")
                .table(HISTORY)
                .baselineOnMigrate(madeBeforeFlyway)
                .baselineVersion("1")
                .baselineDescription("flow store created before Flyway")
                .cleanDisabled(true)
                .load();
    }

    static boolean hasTable(DataSource ds, String table) {
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String schema = c.getSchema();
            for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
                try (ResultSet rs = md.getTables(c.getCatalog(), schema, name, new String[] {"TABLE", "BASE TABLE"})) {
                    if (rs.next()) return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw new StoreUnavailableException("store unavailable: " + e.getMessage(), e);
        }
    }
}
