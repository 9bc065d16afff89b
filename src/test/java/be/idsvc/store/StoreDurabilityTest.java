package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.config.ConfigurationException;
import be.idsvc.core.Secrets;

/** The start-up check that a store keeps what the service acknowledged when the process dies. */
class StoreDurabilityTest {
    @RegisterExtension
    static final LocalPostgres.Extension POSTGRES = new LocalPostgres.Extension();

    @TempDir
    Path dir;

    @Test
    void anH2FileThatWritesCommitsLateIsRefusedWithTheFix() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> StoreDurability.check(h2("jdbc:h2:file:" + dir.resolve("late"))));
        assertTrue(e.getMessage().contains("WRITE_DELAY=500"), e.getMessage());
        assertTrue(e.getMessage().contains("Add ;WRITE_DELAY=0 to the DataSource's JDBC URL"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> StoreDurability.check(h2("jdbc:h2:file:" + dir.resolve("late2") + ";WRITE_DELAY=100")));
    }

    @Test
    void anH2FileThatWritesEachCommitAndAnInMemoryH2AreAccepted() {
        assertDoesNotThrow(() -> StoreDurability.check(h2("jdbc:h2:file:" + dir.resolve("now") + ";WRITE_DELAY=0")));
        assertDoesNotThrow(() -> StoreDurability.check(h2("jdbc:h2:mem:" + Secrets.newHandle())));
    }

    /** What the shipped configurations say, for every server. */
    @Test
    void theShippedH2DataSourcesWriteEachCommit() throws Exception {
        for (String file : List.of("server-config/tomcat/conf/server.xml", "server-config/wildfly/configure.cli")) {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            assertTrue(text.contains("\"jdbc:h2:file:${idsvc.home}/store/idsvc;WRITE_DELAY=0\""), file);
            assertEquals(1, text.split("jdbc:h2:", -1).length - 1, file + ": one H2 URL");
        }
    }

    @Test
    void theDemoClustersPostgresStatesFsyncAndSynchronousCommitOn() throws Exception {
        String script = Files.readString(Path.of("scripts/cluster"), StandardCharsets.UTF_8);
        assertTrue(script.contains("\"$pg\" start \"$pg_data\" \"$pg_port\" -c max_connections=200 -c fsync=on -c synchronous_commit=on "),
                "scripts/cluster must start PostgreSQL durable");
        assertFalse(script.contains("fsync=off") || script.contains("synchronous_commit=off"), "scripts/cluster turns durability off");
        // scripts/pg starts both the demo cluster's server and the tests' (LocalPostgres passes fsync=off itself)
        String pg = Files.readString(Path.of("scripts/pg"), StandardCharsets.UTF_8);
        assertFalse(pg.contains("fsync") || pg.contains("synchronous_commit"), "scripts/pg sets durability for every caller");
    }

    @Test
    void aPostgresWithoutFsyncIsAcceptedWithAWarning() {
        // LocalPostgres runs with fsync=off (the tests never need to survive a power cut)
        List<LogRecord> records = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger log = Logger.getLogger(StoreDurability.class.getName());
        log.addHandler(h);
        try {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(POSTGRES.server().createDatabase());
            ds.setUser(LocalPostgres.user());
            StoreDurability.check(ds);
        } finally {
            log.removeHandler(h);
        }
        assertEquals(1, records.size());
        assertTrue(records.get(0).getMessage().startsWith("the PostgreSQL store runs with fsync=off, synchronous_commit=on:"),
                records.get(0).getMessage());
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        return ds;
    }
}
