package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 on the server of this run (Tomcat 10.1, Tomcat 11 or WildFly 39, embedded H2 store):
 * four clients doing complete flows, revocations and repeated redemptions while the server JVM is
 * killed with SIGKILL at a random moment, {@value #KILLS} times; after each restart, every
 * acknowledgement made before the kill still holds (see {@link CrashLoad}). The counts and the
 * time from start to ready after each kill are printed.
 */
@Tag(ServerUnderTest.EVERY_SERVER)
class CrashConsistencyIT {
    static final int KILLS = 5;

    @Test
    void nothingAcknowledgedIsLostUndoneOrRepeatableAfterTheServerIsKilled() throws Exception {
        ServerUnderTest s = ServerUnderTest.get();
        CrashLoad.Totals t = run(s, "CrashConsistencyIT " + s.kind().displayName + " (H2)");
        assertAcknowledgementsHeld(t);
    }

    static CrashLoad.Totals run(ServerUnderTest s, String name) throws InterruptedException {
        long seed = System.nanoTime();
        System.out.println(name + ": seed " + seed);
        CrashLoad load = new CrashLoad(s, seed);
        for (int kill = 1; kill <= KILLS; kill++) {
            long ms = load.cycle();
            System.out.println(name + ": kill " + kill + ", ready " + ms + " ms after the start; so far " + load.totals().report());
        }
        System.out.println(name + ": " + load.totals().report());
        return load.totals();
    }

    static void assertAcknowledgementsHeld(CrashLoad.Totals t) {
        assertTrue(t.issued.get() + t.revoked.get() >= 20, "too few acknowledgements to prove anything: " + t.report());
        assertEquals("0 lost, 0 undone, 0 repeated", t.lost + " lost, " + t.undone + " undone, " + t.repeated + " repeated", t.report());
    }
}
