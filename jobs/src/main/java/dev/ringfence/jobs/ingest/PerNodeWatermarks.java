package dev.ringfence.jobs.ingest;

import dev.ringfence.contract.Event;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time per node: a partition carries several nodes, each with its own clock, so the watermark is the
 * slowest active node's time minus the allowed disorder. A node silent for {@code idleMs} (wall clock) stops
 * holding it back; a partition with no node active is marked idle by the strategy.
 */
public final class PerNodeWatermarks implements WatermarkGenerator<Event> {
    private final long outOfOrdernessMs;
    private final long idleMs;
    private final LongSupplier wallClockMs;
    private final Map<String, long[]> nodes = new HashMap<>();
    private long emitted = Long.MIN_VALUE;

    PerNodeWatermarks(long outOfOrdernessMs, long idleMs, LongSupplier wallClockMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleMs = idleMs;
        this.wallClockMs = wallClockMs;
    }

    public static WatermarkStrategy<Event> strategy(long outOfOrdernessMs, long idleMs) {
        return WatermarkStrategy.<Event>forGenerator(context -> new PerNodeWatermarks(outOfOrdernessMs, idleMs, System::currentTimeMillis))
                .withTimestampAssigner((event, previous) -> eventTimeMs(event))
                .withIdleness(Duration.ofMillis(idleMs));
    }

    public static long eventTimeMs(Event event) {
        return event.getTimeNs() / 1_000_000L;
    }

    @Override
    public void onEvent(Event event, long timestampMs, WatermarkOutput output) {
        long[] clock = nodes.computeIfAbsent(event.getNode(), node -> new long[] {Long.MIN_VALUE, 0});
        clock[0] = Math.max(clock[0], timestampMs);
        clock[1] = wallClockMs.getAsLong();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = wallClockMs.getAsLong();
        long slowest = Long.MAX_VALUE;
        for (Iterator<long[]> it = nodes.values().iterator(); it.hasNext(); ) {
            long[] clock = it.next();
            if (now - clock[1] > idleMs) {
                // an idle node rejoins with its next event; it cannot move the watermark backwards
                it.remove();
            } else {
                slowest = Math.min(slowest, clock[0]);
            }
        }
        if (slowest != Long.MAX_VALUE) {
            long candidate = slowest - outOfOrdernessMs - 1;
            if (candidate > emitted) {
                emitted = candidate;
                output.emitWatermark(new Watermark(candidate));
            }
        }
    }
}
