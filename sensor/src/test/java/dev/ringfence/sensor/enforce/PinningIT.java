package dev.ringfence.sensor.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.sensor.sandbox.TestCgroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enforcing process is SIGKILLed and replaced: its pinned block holds meanwhile and after, until the pins go. */
class PinningIT {
    @TempDir
    Path dir;

    @Test
    void aBlockOutlivesTheSensorThatSetItAndTheNextSensorTakesItOver() throws Exception {
        Path pins = Enforcer.pinDirectory("pinning-it-" + UUID.randomUUID().toString().substring(0, 8));
        try (TestCgroup workload = TestCgroup.create("pinning"); Loopback loopback = new Loopback(dir)) {
            int port = loopback.port();
            Process first = enforcer(pins, List.of(String.valueOf(workload.id()), "127.0.0.2/32"));
            try {
                assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.EPERM);
            } finally {
                first.destroyForcibly(); // SIGKILL: no clean-up runs
                assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(first.exitValue()).isEqualTo(137);
            assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).as("no sensor running").isEqualTo(Loopback.EPERM);
            assertThat(loopback.reach(workload, "127.0.0.1", port, "tcp")).isEqualTo(Loopback.REACHED);

            Process second = enforcer(pins, List.of()); // adds nothing: what it enforces comes from the pins
            try {
                assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).as("after the restart").isEqualTo(Loopback.EPERM);
            } finally {
                second.destroyForcibly();
                second.waitFor(20, TimeUnit.SECONDS);
            }
            Enforcer.removePins(pins);
            assertThat(loopback.reach(workload, "127.0.0.2", port, "tcp")).as("pins removed").isEqualTo(Loopback.REACHED);
        } finally {
            Enforcer.removePins(pins);
        }
    }

    private Process enforcer(Path pins, List<String> block) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                PinnedEnforcerMain.class.getName(), pins.toString(), dir.resolve("run-" + UUID.randomUUID()).toString()));
        command.addAll(block);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("ready")) {
                Thread.ofPlatform().daemon().start(() -> out.lines().forEach(ignored -> {}));
                return process;
            }
        }
        throw new AssertionError("the enforcer exited with " + process.waitFor() + " before it was ready");
    }
}
