package dev.ringfence.sensor.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.ProcessFork;
import dev.ringfence.contract.SensorHealth;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.sandbox.CollectingSink;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A noisy cgroup meets its token bucket in the kernel: what is held back is counted, nothing else goes missing. */
class ThrottlingIT {
    @Test
    void eventsBeyondTheBucketAreThrottledAndCountedExactly() {
        int execs = 200;
        // per storm iteration: fork, exec, exit of /bin/true; plus the exec and exit of the looping shell
        int produced = 3 * execs + 2;
        try (TestCgroup noisy = TestCgroup.create("noisy")) {
            CollectingSink sink = new CollectingSink();
            try (Sensor sensor = Sensor.start(SensorConfig.builder()
                    .node("it-throttle")
                    .watchCgroups(List.of(noisy.directory()))
                    .throttleRate(1)
                    .throttleBurst(50)
                    .runDirectory(Path.of(System.getProperty("java.io.tmpdir"), "throttle-" + UUID.randomUUID()))
                    .build(), sink)) {
                assertThat(noisy.run(List.of("sh", "-c", "i=0; while [ $i -lt " + execs + " ]; do /bin/true; i=$((i+1)); done"))).isZero();

                long cgroup = noisy.id();
                SensorHealth health = sink.await(SensorHealth.class,
                        h -> h.getThrottledEvents() + received(sink, cgroup) >= produced, 1, Duration.ofSeconds(60)).getFirst();
                assertThat(health.getThrottledEvents()).isPositive();
                assertThat(sensor.health().getThrottledEvents() + received(sink, cgroup)).isEqualTo(produced);
                assertThat(received(sink, cgroup)).as("the burst, and the trickle the rate allows").isBetween(50L, 50L + 60);
            }
        }
    }

    private static long received(CollectingSink sink, long cgroup) {
        return sink.events().stream().map(Event::getPayload)
                .filter(payload -> payload instanceof ProcessExec exec && exec.getCgroupId() == cgroup
                        || payload instanceof ProcessFork fork && fork.getCgroupId() == cgroup
                        || payload instanceof ProcessExit exit && exit.getCgroupId() == cgroup)
                .count();
    }
}
