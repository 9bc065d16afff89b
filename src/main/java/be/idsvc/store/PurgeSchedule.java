package be.idsvc.store;

import java.time.Clock;

/**
 * When the next purge of expired records is due: every {@code store.purge_interval_seconds} on the
 * service's clock, so that a test that moves the clock (config/ServiceClock) also brings the purge.
 * The caller asks every second; a clock that stepped back makes a purge due at once.
 */
public final class PurgeSchedule {
    private final Clock clock;
    private final long intervalMillis;
    private long last;

    public PurgeSchedule(Clock clock, int intervalSeconds) {
        this.clock = clock;
        this.intervalMillis = intervalSeconds * 1000L;
        this.last = clock.millis();
    }

    /** Whether a purge is due now; when it is, it counts as done from now on. */
    public synchronized boolean due() {
        long now = clock.millis();
        if (now >= last && now - last < intervalMillis) return false;
        last = now;
        return true;
    }
}
