package be.idsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The integration tests' movable clock is refused everywhere but on a sandbox home (docs/decisions.md, issue 14). */
class ServiceClockTest {
    @TempDir
    Path dir;

    private ServiceHome home(String settings) throws Exception {
        Path h = Files.createDirectories(dir.resolve("home"));
        Files.writeString(h.resolve("idsvc.properties"), settings);
        return ServiceHome.at(h);
    }

    private Path clockDir() throws Exception {
        Path d = Files.createDirectories(dir.resolve("base"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-x---"));
        return d;
    }

    @Test
    void withoutThePropertyTheClockIsTheSystemClock() throws Exception {
        assertSame(Clock.systemUTC(), ServiceClock.forHome(home("issuer=https://localhost:9443\n"), null));
    }

    @Test
    void aProductionHomeRefusesTheMovedClock() throws Exception {
        Path file = clockDir().resolve("clock-offset");
        for (String settings : new String[] {"issuer=https://localhost:9443\n", "eid.sandbox_virtual_cards=false\n"}) {
            ServiceHome h = home(settings);
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> ServiceClock.forHome(h, file.toString()));
            assertEquals("-Didsvc.test.clock_offset_file is set, but a moved clock is for test homes only and " + h.settingsFile()
                    + " does not set eid.sandbox_virtual_cards=true: remove the option from the server's JVM options", e.getMessage());
        }
    }

    @Test
    void anOffsetFileOthersCanWriteIsRefused() throws Exception {
        ServiceHome h = home("eid.sandbox_virtual_cards=true\n");
        Path base = clockDir();
        Path file = base.resolve("clock-offset");
        Files.writeString(file, "0");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals("-Didsvc.test.clock_offset_file is set, but " + file + " is writable by others than its owner",
                assertThrows(ConfigurationException.class, () -> ServiceClock.forHome(h, file.toString())).getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals("-Didsvc.test.clock_offset_file is set, but " + base + " is writable by others than its owner",
                assertThrows(ConfigurationException.class, () -> ServiceClock.forHome(h, file.toString())).getMessage());
        assertEquals("-Didsvc.test.clock_offset_file is set, but clock-offset is not an absolute path",
                assertThrows(ConfigurationException.class, () -> ServiceClock.forHome(h, "clock-offset")).getMessage());
    }

    @Test
    void aSandboxHomeRunsTheOffsetInTheFileAheadOfTheSystemClock() throws Exception {
        ServiceHome h = home("eid.sandbox_virtual_cards=true\n");
        Path file = clockDir().resolve("clock-offset");
        Clock clock = ServiceClock.forHome(h, file.toString());
        long drift = clock.millis() - System.currentTimeMillis();
        // the server clock is read first: the system clock read after it may be a millisecond later
        assertTrue(Math.abs(drift) < 1000, "no file: no offset, was " + drift);

        Files.writeString(file, "61000\n");
        Thread.sleep(150); // the file is re-read at most every 100 ms
        drift = clock.millis() - System.currentTimeMillis();
        assertTrue(drift > 60_000 && drift < 62_000, "61 s ahead, was " + drift);

        Files.writeString(file, "not a number");
        Thread.sleep(150);
        drift = clock.millis() - System.currentTimeMillis();
        assertTrue(drift > 60_000 && drift < 62_000, "an unreadable offset keeps the last one, was " + drift);
    }
}
