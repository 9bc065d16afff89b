package be.idsvc.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The clock of a deployment: the system clock, except on a test home whose server was started with
 * {@code -D}{@value #OFFSET_FILE_PROPERTY}{@code =FILE}, where it runs the number of milliseconds
 * FILE holds ahead of the system clock, so an integration test can let a code expire without
 * waiting for it (docs/decisions.md, "issue 14: injected time").
 *
 * <p>Refused, and with it the deployment, unless the home is a sandbox home
 * ({@code eid.sandbox_virtual_cards=true}: only virtual cards, nobody real is identified) and FILE
 * is writable by its owner only: a moved clock lets an expired code, token or certificate live.
 */
public final class ServiceClock {
    public static final String OFFSET_FILE_PROPERTY = "idsvc.test.clock_offset_file";
    /** The sandbox switch of the home's idsvc.properties (EidTrustConfig's setting, spelled here to keep config below eid). */
    static final String SANDBOX_SETTING = "eid.sandbox_virtual_cards";
    private static final Logger LOG = Logger.getLogger(ServiceClock.class.getName());

    private ServiceClock() {}

    /** The clock for a deployment of {@code home}, from this JVM's system properties. */
    public static Clock forHome(ServiceHome home) {
        return forHome(home, System.getProperty(OFFSET_FILE_PROPERTY));
    }

    static Clock forHome(ServiceHome home, String offsetFile) {
        if (offsetFile == null) return Clock.systemUTC();
        String refused = "-D" + OFFSET_FILE_PROPERTY + " is set, ";
        if (!PropertiesFile.read(home.settingsFile()).bool(SANDBOX_SETTING, false)) {
            throw new ConfigurationException(refused + "but a moved clock is for test homes only and " + home.settingsFile()
                    + " does not set " + SANDBOX_SETTING + "=true: remove the option from the server's JVM options");
        }
        Path file = Path.of(offsetFile);
        if (!file.isAbsolute()) throw new ConfigurationException(refused + "but " + offsetFile + " is not an absolute path");
        requireOwnerOnlyWrites(file.getParent(), refused);
        if (Files.exists(file)) requireOwnerOnlyWrites(file, refused);
        LOG.warning(() -> "TEST CLOCK: this deployment's time is the system clock plus the milliseconds in " + file
                + " (-D" + OFFSET_FILE_PROPERTY + "); never use this option outside tests");
        return new OffsetFileClock(file);
    }

    private static void requireOwnerOnlyWrites(Path p, String refused) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
            Set<PosixFilePermission> perms = a.permissions();
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new ConfigurationException(refused + "but " + p + " is writable by others than its owner");
            }
        } catch (UnsupportedOperationException e) {
            throw new ConfigurationException(refused + "but the file system of " + p + " has no POSIX permissions to check");
        } catch (IOException e) {
            throw new ConfigurationException(refused + "but " + p + " cannot be read: " + e.getMessage());
        }
    }

    /** The system clock plus the offset in a file (absent: 0), re-read at most every 100 ms. */
    static final class OffsetFileClock extends Clock {
        private static final long REREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
        private final Path file;
        private volatile long offsetMillis;
        private volatile long readAt;
        private volatile boolean read;

        OffsetFileClock(Path file) {
            this.file = file;
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        private long offset() {
            // the re-read interval runs on the monotonic timer: the clock it paces is the one being moved
            long t = System.nanoTime();
            if (read && t - readAt < REREAD_NANOS) return offsetMillis;
            synchronized (this) {
                if (read && t - readAt < REREAD_NANOS) return offsetMillis;
                try {
                    offsetMillis = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
                } catch (NoSuchFileException e) {
                    offsetMillis = 0;
                } catch (IOException | NumberFormatException e) {
                    LOG.warning(() -> "TEST CLOCK: cannot read an offset in milliseconds from " + file + ", keeping "
                            + offsetMillis + ": " + e.getMessage());
                }
                readAt = t;
                read = true;
                return offsetMillis;
            }
        }
    }
}
