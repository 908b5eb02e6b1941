package dev.ringfence.sensor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** `events --standalone` end to end: the real sensor streaming lines a jq user would filter. */
class EventsCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLinesOfAProcessInAWatchedCgroup() throws Exception {
        String output = runWhileMarking("json", "json-marker");
        JsonNode exec = lines(output).stream()
                .filter(line -> line.get("type").asText().equals("ProcessExec"))
                .filter(line -> line.at("/payload/argv").toString().equals("[\"sh\",\"-c\",\"exit 0 # json-marker\"]"))
                .findFirst().orElseThrow(() -> new AssertionError("no ProcessExec of the marker in:\n" + output));
        assertThat(exec.at("/payload/exec_id").asText()).startsWith("cli-node:");
        assertThat(exec.at("/payload/workload/workload_key").asText()).startsWith("host/cli-node/");
        assertThat(lines(output)).anySatisfy(line -> assertThat(line.get("type").asText()).isEqualTo("ProcessExit"));
    }

    @Test
    void compactLinesOfAProcessInAWatchedCgroup() throws Exception {
        String output = runWhileMarking("compact", "compact-marker");
        assertThat(output.lines().filter(line -> line.startsWith("🚀") && line.contains("/dash -c exit 0 # compact-marker")))
                .as(output).isNotEmpty();
    }

    /** Runs the command for a while, starting a marker process in a watched cgroup until it shows up (it must, before the end). */
    private static String runWhileMarking(String format, String marker) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TestCgroup cgroup = TestCgroup.create("cli")) {
            CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() -> SensorCli.run(List.of("events", "--standalone",
                    "-o", format, "--duration", "8s", "--node", "cli-node", "--cgroup", cgroup.directory().toString()),
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
            while (!command.isDone() && !out.toString(StandardCharsets.UTF_8).contains(marker)) {
                cgroup.run(List.of("sh", "-c", "exit 0 # " + marker));
                Thread.sleep(200);
            }
            assertThat(command.isDone()).as("the marker's lines reach the output while the command runs, not when it ends")
                    .isFalse();
            assertThat(command.get()).isZero();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<JsonNode> lines(String output) {
        return output.lines().map(line -> parse(line).orElseThrow(() -> new AssertionError("not JSON: " + line))).toList();
    }

    private static Optional<JsonNode> parse(String line) {
        try {
            return Optional.of(JSON.readTree(line));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
