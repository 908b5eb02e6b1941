package dev.ringfence.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.WorkloadIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class PerNodeWatermarksTest {
    private final AtomicLong wallClock = new AtomicLong(1_000);
    private final PerNodeWatermarks generator = new PerNodeWatermarks(2_000, 1_000, wallClock::get);
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };

    private void event(String node, long timeMs) {
        Event event = new Event(node, timeMs * 1_000_000L, 1L, new ProcessExit(node + ":1:1", 1, 0, 0, false, 1L, 1L,
                WorkloadIdentity.newBuilder().setNode(node).setWorkloadKey("w").setWorkloadKind("Pod")
                        .setWorkloadName("w").build()));
        generator.onEvent(event, PerNodeWatermarks.eventTimeMs(event), output);
    }

    @Test
    void theSlowestActiveNodeHoldsTheWatermark() {
        event("fast", 100_000);
        event("slow", 50_000);
        generator.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(50_000L - 2_000 - 1);
    }

    @Test
    void anIdleNodeStopsHoldingItBackAndCannotMoveItBackwards() {
        event("fast", 100_000);
        event("slow", 50_000);
        generator.onPeriodicEmit(output);
        wallClock.addAndGet(800);
        event("fast", 101_000);
        wallClock.addAndGet(800);
        generator.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(47_999L, 101_000L - 2_000 - 1);

        event("slow", 51_000);
        generator.onPeriodicEmit(output);
        assertThat(emitted).hasSize(2);
    }
}
