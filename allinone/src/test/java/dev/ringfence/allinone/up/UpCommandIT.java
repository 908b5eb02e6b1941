package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.allinone.AllInOne;
import dev.ringfence.sensor.enforce.Enforcer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code up} as its own process, as a user would (root, a kernel with BTF: the sensor runs for real), reads
 * its --json output, makes real events by running processes, and stops it the way Ctrl-C does (SIGINT).
 */
class UpCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final int PROCESSES = 20;
    private static final int SCANNED_PORTS = 12;

    @Test
    void upRunsThePipelineShowsLiveStatusAndAlertsFromTheTopicsAndStopsCleanlyOnInterrupt(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        // the sensor pins its enforcement in bpffs so it outlives restarts; what this test pinned goes after it
        Path pins = Enforcer.pinDirectory(SensorStage.node());
        boolean pinnedBefore = Files.exists(pins);
        Path output = dir.resolve("up.out");
        // this host has no cluster network: loopback stands for it, so connections to local ports are east-west
        Path jobConfig = Files.writeString(dir.resolve("job.json"), "{\"lineage\": {\"clusterCidrs\": [\"127.0.0.0/8\"]},"
                + " \"detectors\": {\"scan\": {\"threshold\": " + SCANNED_PORTS + "}}}");
        Process up = new ProcessBuilder(asForegroundJob(command(state, "--kafka-port", "0", "--feedback-port", "0",
                "--status-every", "1", "--json", "--job-config", jobConfig.toString())))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            awaitLine(output, up, line -> line.path("message").asText().startsWith("Running:"));
            Map<String, JsonNode> stages = stageLines(output);
            for (String stage : List.of("kafka", "certificates", "detection-job", "enforcement-feedback", "sensor", "live-view")) {
                assertThat(stages.get(stage)).as(stage).isNotNull();
                assertThat(stages.get(stage).path("state").asText()).as(stage + ": " + stages.get(stage)).isEqualTo("ready");
            }
            assertThat(stages.get("enforcement").path("state").asText()).as("the sensor dials the feedback service")
                    .isEqualTo("ready");
            assertThat(stages.get("enforcement").path("detail").asText()).as("observe mode says it enforces nothing")
                    .contains("nothing is enforced");
            assertThat(stages.get("elasticsearch").path("state").asText()).as("Elasticsearch is opt-in").isEqualTo("off");
            assertThat(Files.readString(output)).as("logs are quiet by default").doesNotContain("INFO").doesNotContain(" WARN ");
            assertThat(state.resolve("certs/ca.crt")).exists();
            assertThat(state.resolve("certs/services/feedback.crt")).exists();
            assertThat(state.resolve("certs/issuers/cli.crt")).exists();
            try (var nodes = Files.list(state.resolve("certs/nodes"))) {
                assertThat(nodes.map(path -> path.getFileName().toString())).as("this node's sensor certificate")
                        .anyMatch(name -> name.endsWith(".crt"));
            }
            assertThat(Files.readString(state.resolve("feedback.address")).trim())
                    .as("the containment commands find the service").matches("localhost:\\d+");
            List<ProcessHandle> children = up.descendants().toList();
            Process second = new ProcessBuilder(command(state, "--kafka-port", "0", "--feedback-port", "0")).redirectErrorStream(true).start();
            String refused = new String(second.getInputStream().readAllBytes());
            assertThat(second.waitFor()).as("a second up on the same state: " + refused).isEqualTo(1);
            assertThat(refused).contains("another 'ringfence up' (pid " + up.pid() + ") is using");
            assertThat(children).as("the broker runs in its own JVM").isNotEmpty();

            JsonNode before = awaitLine(output, up, line -> line.path("type").asText().equals("status"));
            for (int i = 0; i < PROCESSES; i++) {
                assertThat(new ProcessBuilder("/bin/true").start().waitFor()).isZero();
            }
            long wanted = before.path("events").asLong() + PROCESSES;
            JsonNode after = awaitLine(output, up, line -> line.path("type").asText().equals("status")
                    && line.path("events").asLong() >= wanted && line.path("sensors_reporting").asInt() >= 1);
            assertThat(after.path("lost_events").isNumber()).isTrue();
            assertThat(after.path("alerts").isNumber()).isTrue();
            assertThat(after.path("active_blocks").asInt()).as("no sensor applies decisions yet").isZero();

            scanLoopback();
            JsonNode alert = awaitLine(output, up, line -> line.path("type").asText().equals("alert")
                    && line.path("rule_id").asText().equals("RF-SCAN-001"));
            JsonNode decision = awaitLine(output, up, line -> line.path("type").asText().equals("decision")
                    && line.path("alert_id").asText().equals(alert.path("alert_id").asText()));
            assertThat(decision.path("action").asText()).isEqualTo("ISOLATE_WORKLOAD");
            assertThat(decision.path("dry_run").asBoolean()).as("observe mode by default").isTrue();
            awaitLine(output, up, line -> line.path("type").asText().equals("status") && line.path("alerts").asInt() >= 1
                    && line.path("decisions").asInt() >= 1);
            assertThat(Files.readString(state.resolve("alerts.ecs.ndjson"))).as("the alert as an ECS document")
                    .contains("\"id\":\"" + alert.path("alert_id").asText() + "\"");

            new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor();

            assertThat(up.waitFor(120, TimeUnit.SECONDS)).as("up exits after Ctrl-C").isTrue();
            Map<String, JsonNode> stopped = stageLines(output);
            for (String stage : List.of("live-view", "sensor", "enforcement-feedback", "detection-job", "kafka")) {
                assertThat(stopped.get(stage).path("state").asText()).as(stage).isEqualTo("stopped");
            }
            for (ProcessHandle child : children) {
                assertThat(child.isAlive()).as("child JVM " + child.pid() + " is gone").isFalse();
            }
            assertThat(state.resolve("kafka/kafka-logs/meta.properties")).as("broker data is kept").exists();
            assertThat(state.resolve("certs/ca.key")).as("certificates are kept").exists();
            assertThat(state.resolve("alerts.ecs.ndjson")).as("the alert file is kept").exists();
            assertThat(state.resolve("feedback.address")).as("no stale address").doesNotExist();
        } finally {
            up.destroyForcibly();
            up.waitFor(30, TimeUnit.SECONDS);
            if (!pinnedBefore) {
                Enforcer.removePins(pins);
            }
        }
    }

    @Test
    void aBadOptionIsRefusedWithUsage(@TempDir Path dir) throws Exception {
        Process up = new ProcessBuilder(command(dir, "--kafka-port", "x")).redirectErrorStream(true).start();
        String text = new String(up.getInputStream().readAllBytes());
        assertThat(up.waitFor()).isEqualTo(2);
        assertThat(text).contains("--kafka-port wants a port number").contains("usage: ringfence up");
    }

    /** Connects to many local ports, as a scanner would (connections that complete: refused ones are not reported). */
    private static void scanLoopback() throws IOException {
        List<ServerSocket> listeners = new ArrayList<>();
        try {
            for (int i = 0; i < SCANNED_PORTS; i++) {
                listeners.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
            for (ServerSocket listener : listeners) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                    assertThat(probe.isConnected()).isTrue();
                }
            }
        } finally {
            for (ServerSocket listener : listeners) {
                listener.close();
            }
        }
    }

    /**
     * The command with SIGINT at its default, as a terminal's foreground job has it: a build started in the
     * background (CI, nohup, "&") ignores SIGINT, every child inherits that, and a JVM never handles a signal that
     * was ignored when it started, so Ctrl-C could not be shown. The same pid then runs the command (exec).
     */
    private static List<String> asForegroundJob(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static List<String> command(Path stateDir, String... extra) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "-Xmx768m",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"),
                AllInOne.class.getName(), "up", "--state-dir", stateDir.toString()));
        command.addAll(List.of(extra));
        return command;
    }

    /** The last progress line of every stage. */
    private static Map<String, JsonNode> stageLines(Path output) throws IOException {
        Map<String, JsonNode> stages = new HashMap<>();
        for (JsonNode line : jsonLines(output)) {
            if (line.has("stage")) {
                stages.put(line.path("stage").asText(), line);
            }
        }
        return stages;
    }

    /** Lines that are not JSON (a log line on stderr) are skipped here and caught by the quiet-logs check. */
    private static List<JsonNode> jsonLines(Path output) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : Files.readAllLines(output)) {
            if (text.startsWith("{")) {
                lines.add(JSON.readTree(text));
            }
        }
        return lines;
    }

    private static JsonNode awaitLine(Path output, Process process, Predicate<JsonNode> wanted) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> lines = Files.exists(output) ? jsonLines(output) : List.of();
            Optional<JsonNode> match = lines.stream().filter(wanted).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
            if (!process.isAlive()) {
                throw new AssertionError("up exited early:\n" + Files.readString(output));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no expected line within " + START_TIMEOUT.toSeconds() + " s:\n" + Files.readString(output));
    }
}
