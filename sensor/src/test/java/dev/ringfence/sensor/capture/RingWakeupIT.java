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
            try (Sensor sensor = start(quiet, DRAIN, sink)) {
                assertThat(quiet.run(List.of("/bin/true"))).isZero();

                // the reader's first timed drain is DRAIN after the sensor started: only a wakeup delivers it sooner
                List<ProcessExec> execs = sink.await(ProcessExec.class,
                        exec -> exec.getCgroupId() == quiet.id() && exec.getBinary().endsWith("/true"), 1, DRAIN.dividedBy(3));
                assertThat(execs).hasSize(1);
            }
        }
    }

    /**
     * A shell's command after a quiet spell: the exit of the last command before it and the fork of its own process
     * come first, and neither may use up the wakeup, or the exec a containment waits for would wait for the timer.
     */
    @Test
    void anExecAfterAQuietSpellWakesTheReaderEvenBehindAnExitAndAFork() {
        Duration drain = Duration.ofSeconds(3);
        Duration quietSpell = drain.plusSeconds(1);
        try (TestCgroup quiet = TestCgroup.create("wakeup-fork")) {
            CollectingSink sink = new CollectingSink();
            try (Sensor sensor = start(quiet, drain, sink)) {
                // sh's own records are read (a wakeup, then the timer); then nothing for longer than the drain interval,
                // so the next timed drain comes a whole interval after the sleep's exit and the fork of /bin/cat
                Process shell = quiet.start(List.of("/bin/sh", "-c", "sleep " + quietSpell.toSeconds() + "; /bin/cat /dev/null; echo done"));
                List<ProcessExec> execs = sink.await(ProcessExec.class,
                        exec -> exec.getCgroupId() == quiet.id() && exec.getBinary().endsWith("/cat"), 1,
                        quietSpell.plus(drain.dividedBy(2)));
                assertThat(execs).hasSize(1);
                shell.destroyForcibly();
            }
        }
    }

    private static Sensor start(TestCgroup watched, Duration drain, CollectingSink sink) {
        return Sensor.start(SensorConfig.builder()
                .node("it-wakeup")
                .watchCgroups(List.of(watched.directory()))
                .ringDrainInterval(drain)
                .runDirectory(Path.of(System.getProperty("java.io.tmpdir"), "wakeup-" + UUID.randomUUID()))
                .build(), sink);
    }
}
