package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import be.idsvc.config.TestClock;

/** The purge runs every interval of the service's clock, and at once after the clock stepped back. */
class PurgeScheduleTest {
    @Test
    void dueEveryIntervalOfTheClock() {
        TestClock clock = new TestClock();
        PurgeSchedule s = new PurgeSchedule(clock, 30);
        assertFalse(s.due(), "not at start");
        clock.advance(Duration.ofSeconds(29));
        assertFalse(s.due());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(s.due());
        assertFalse(s.due(), "counted as done");
        clock.advance(Duration.ofSeconds(61));
        assertTrue(s.due(), "a clock moved past the interval");
        assertFalse(s.due());
    }

    @Test
    void aClockThatSteppedBackMakesItDue() {
        TestClock clock = new TestClock();
        PurgeSchedule s = new PurgeSchedule(clock, 30);
        clock.advance(Duration.ofSeconds(-61));
        assertTrue(s.due());
        assertFalse(s.due());
    }
}
