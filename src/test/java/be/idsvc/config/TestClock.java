package be.idsvc.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand, so a test waits for a reload or an expiry without sleeping: it
 * starts at the real time (certificates issued "now" are valid) and stands still until moved.
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    public TestClock() {
        this(Instant.now());
    }

    public TestClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    /** Moves the clock past {@link WatchedDirectory#CHECK_INTERVAL_MILLIS}: every watched directory re-reads at its next use. */
    public void passCheckInterval() {
        advance(Duration.ofMillis(WatchedDirectory.CHECK_INTERVAL_MILLIS));
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
