package dev.ringfence.sensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BootClockTest {
    /** The calibration's own error is bounded by its tightest bracket, microseconds on an idle machine. */
    private static final long CALIBRATION_SLACK_NS = 1_000_000;

    @Test
    void aBootClockReadingConvertsToTheWallClockTimeItWasTakenAt() {
        BootClock clock = BootClock.calibrate();
        for (int reading = 0; reading < 100; reading++) {
            long before = epochNanos();
            long converted = clock.toEpochNanos(BootClock.nowBootNanos());
            long after = epochNanos();
            assertTrue(converted >= before - CALIBRATION_SLACK_NS && converted <= after + CALIBRATION_SLACK_NS,
                    "boot clock reading converted to " + converted + ", outside the wall clock's [" + before + ", " + after + "]");
        }
    }

    @Test
    void aSteppedWallClockIsFollowedOnceRecalibrated() {
        AtomicLong wall = new AtomicLong(1_795_000_000_000_000_000L);
        AtomicLong boot = new AtomicLong(60_000_000_000L);
        BootClock clock = new BootClock(wall::get, boot::get);
        assertEquals(wall.get(), clock.toEpochNanos(boot.get()));

        boot.addAndGet(1_000_000L); // a millisecond passes, and NTP's first sync steps the wall clock an hour ahead
        wall.addAndGet(1_000_000L + 3_600_000_000_000L);
        assertEquals(wall.get() - 3_600_000_000_000L, clock.toEpochNanos(boot.get()), "the offset taken before the step");
        clock.recalibrate();
        assertEquals(wall.get(), clock.toEpochNanos(boot.get()));
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
