package dev.ringfence.sensor.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
