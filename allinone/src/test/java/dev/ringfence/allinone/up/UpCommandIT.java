package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.allinone.AllInOne;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code up} as its own process, as a user would, and stops it the way Ctrl-C does (SIGINT). */
class UpCommandIT {

    @Test
    void upStartsTheBrokerReportsUnbuiltStagesAndStopsCleanlyOnInterrupt(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("up.out");
        Process up = new ProcessBuilder(command(dir.resolve("state"), "--kafka-port", "0"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            awaitLine(output, "Running:", up);
            String started = Files.readString(output);
            assertThat(started).containsPattern("kafka\\s+ready\\s+embedded broker at 127\\.0\\.0\\.1:\\d+");
            assertThat(started).containsPattern("sensor\\s+not-built");
            assertThat(started).as("logs are quiet by default").doesNotContain("INFO");
            List<ProcessHandle> broker = up.descendants().toList();
            assertThat(broker).as("the broker runs in its own JVM").isNotEmpty();

            new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor();

            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up exits after Ctrl-C").isTrue();
            assertThat(Files.readString(output)).containsPattern("kafka\\s+stopped");
            for (ProcessHandle child : broker) {
                assertThat(child.isAlive()).as("broker JVM " + child.pid() + " is gone").isFalse();
            }
            assertThat(dir.resolve("state/kafka/kafka-logs/meta.properties")).as("data is kept").exists();
        } finally {
            up.destroyForcibly();
        }
    }

    @Test
    void aBadOptionIsRefusedWithUsage(@TempDir Path dir) throws Exception {
        Process up = new ProcessBuilder(command(dir, "--kafka-port", "x")).redirectErrorStream(true).start();
        String text = new String(up.getInputStream().readAllBytes());
        assertThat(up.waitFor()).isEqualTo(2);
        assertThat(text).contains("--kafka-port wants a port number").contains("usage: ringfence up");
    }

    private static List<String> command(Path stateDir, String... extra) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                AllInOne.class.getName(), "up", "--state-dir", stateDir.toString()));
        command.addAll(List.of(extra));
        return command;
    }

    private static void awaitLine(Path output, String marker, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(output) && Files.readString(output).contains(marker)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("up exited early:\n" + Files.readString(output));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + marker + "' within 120 s:\n" + Files.readString(output));
    }
}
