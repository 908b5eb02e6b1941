package dev.ringfence.sensor.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.ProcessExec;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.sandbox.CollectingSink;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Records wait in the kernel ring for the reader's drain timer, except the first one after a quiet spell, which
 * wakes the reader: a shell starting in a quiet workload is read at once, not when the timer next fires.
 */
class RingWakeupIT {
    private static final Duration DRAIN = Duration.ofSeconds(6);

    @Test
    void theFirstRecordAfterAQuietSpellIsReadBeforeTheDrainTimerFires() {
        try (TestCgroup quiet = TestCgroup.create("wakeup")) {
            CollectingSink sink = new CollectingSink();
            try (Sensor sensor = Sensor.start(SensorConfig.builder()
                    .node("it-wakeup")
                    .watchCgroups(List.of(quiet.directory()))
                    .ringDrainInterval(DRAIN)
                    .runDirectory(Path.of(System.getProperty("java.io.tmpdir"), "wakeup-" + UUID.randomUUID()))
                    .build(), sink)) {
                assertThat(quiet.run(List.of("/bin/true"))).isZero();

                // the reader's first timed drain is DRAIN after the sensor started: only a wakeup delivers it sooner
                List<ProcessExec> execs = sink.await(ProcessExec.class,
                        exec -> exec.getCgroupId() == quiet.id() && exec.getBinary().endsWith("/true"), 1, DRAIN.dividedBy(3));
                assertThat(execs).hasSize(1);
            }
        }
    }
}
