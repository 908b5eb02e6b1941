package dev.ringfence.sinks.ecs;

import java.time.Instant;

/** Contract times (nanoseconds since the Unix epoch) as ECS dates, refusing values no sensor can produce. */
public final class EpochNanos {
    /** 2000-01-01 and 2200-01-01: outside this a time is corrupt, and would make an index name or a date histogram absurd. */
    private static final long EARLIEST = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final long LATEST = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;

    private EpochNanos() {}

    public static Instant toInstant(String field, long nanos) {
        if (nanos < EARLIEST || nanos >= LATEST) {
            throw new InvalidRecordException(field + " = " + nanos + " ns is not a time between 2000 and 2200");
        }
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** ISO-8601 with nanoseconds, which a date_nanos or date field accepts. */
    public static String iso(String field, long nanos) {
        return toInstant(field, nanos).toString();
    }

    public static String isoOrNull(String field, Long nanos) {
        return nanos == null ? null : iso(field, nanos);
    }
}
