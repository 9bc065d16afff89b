package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import be.idsvc.store.LocalPostgres;

/**
 * {@link CrashConsistencyIT} on a cluster node: Tomcat 10.1 on the PostgreSQL store
 * ({@link OwnTomcat#postgres}). PostgreSQL itself keeps running; what is proven is that a node
 * acknowledges only what PostgreSQL has committed. Tomcat 10.1 only (no every-server tag): the
 * store, not the server, is what differs from the H2 runs. Also checks the start-up warning:
 * the tests' PostgreSQL runs with fsync off.
 */
class CrashConsistencyPostgresIT {
    private static LocalPostgres postgres;
    private static OwnTomcat node;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
        node = OwnTomcat.postgres(postgres.createDatabase());
        Runtime.getRuntime().addShutdownHook(new Thread(CrashConsistencyPostgresIT::stopAll, "tomcat-pg-it-stop"));
        node.start();
    }

    @AfterAll
    static void stopAll() {
        try {
            if (node != null) node.stop();
        } catch (RuntimeException e) {
            System.err.println("stopping Tomcat: " + e.getMessage());
        }
        if (postgres != null) postgres.close();
    }

    @Test
    void nothingAcknowledgedIsLostUndoneOrRepeatableAfterTheNodeIsKilled() throws Exception {
        CrashLoad.Totals t = CrashConsistencyIT.run(node, "CrashConsistencyIT Tomcat 10.1 node (PostgreSQL)");
        CrashConsistencyIT.assertAcknowledgementsHeld(t);
    }

    @Test
    void aPostgresWithoutFsyncIsNamedInTheLog() {
        assertTrue(node.log().contains("the PostgreSQL store runs with fsync=off, synchronous_commit=on"), "no durability warning in the log");
    }
}
