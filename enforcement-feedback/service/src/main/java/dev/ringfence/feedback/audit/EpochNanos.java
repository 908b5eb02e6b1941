package dev.ringfence.feedback.audit;

import java.time.Clock;
import java.time.Instant;

/** The contract's timestamps: nanoseconds since the Unix epoch. */
public final class EpochNanos {
    private EpochNanos() {}

    public static long now(Clock clock) {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }
}
