package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.jobs.RemoteJob;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up --flink HOST:PORT}: the detection stage submits the job to a Flink cluster in another JVM (a
 * MiniCluster with its REST endpoint, Flink's jars only), the job runs there reading the embedded broker, and
 * stopping the stage cancels it while the cluster keeps running.
 */
class RemoteDetectionStageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theStageSubmitsTheJobToTheClusterWhereItRunsAndStoppingTheStageCancelsIt(@TempDir Path dir) throws Exception {
        Process cluster = startCluster(dir.resolve("flink-tmp"));
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(dir.resolve("kafka"))) {
            int restPort = restPort(cluster);
            String rest = "http://127.0.0.1:" + restPort;
            UpOptions options = UpOptions.parse(new String[] {"--flink", "127.0.0.1:" + restPort}, null);

            RemoteJob job = DetectionStage.submit(kafka.bootstrapServers(), options);
            String jobId = job.jobId().toHexString();
            try {
                JsonNode overview = get(rest + "/jobs/overview");
                assertThat(overview.path("jobs")).as("the only job on the cluster is the one the stage reported: " + overview)
                        .hasSize(1);
                assertThat(overview.path("jobs").get(0).path("jid").asText()).isEqualTo(jobId);
                JsonNode running = await(rest + "/jobs/" + jobId, details -> everyVertexIs(details, "RUNNING")
                        || isTerminal(details));
                assertThat(running.path("state").asText()).as("job " + running).isEqualTo("RUNNING");
                assertThat(running.path("name").asText()).isEqualTo("ringfence-jobs");
                assertThat(running.path("vertices").size()).as("the whole topology, sources to sinks").isGreaterThan(1);
                assertThat(everyVertexIs(running, "RUNNING")).as("every task runs, the Kafka sources too: " + running).isTrue();
            } finally {
                job.close();
            }
            JsonNode stopped = await(rest + "/jobs/" + jobId, RemoteDetectionStageIT::isTerminal);
            assertThat(stopped.path("state").asText()).as("stopping the stage cancels its job").isEqualTo("CANCELED");
            assertThat(get(rest + "/overview").path("taskmanagers").asInt()).as("the cluster itself keeps running")
                    .isEqualTo(1);
        } finally {
            cluster.getOutputStream().close();
            if (!cluster.waitFor(30, TimeUnit.SECONDS)) {
                cluster.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aClusterThatDoesNotAnswerFailsTheStageSayingWhere(@TempDir Path dir) throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        UpOptions options = UpOptions.parse(new String[] {"--flink", "127.0.0.1:" + port}, null);
        assertThatThrownBy(() -> DetectionStage.submit("127.0.0.1:1", options))
                .hasMessageStartingWith("the Flink cluster at 127.0.0.1:" + port + " did not take the job: ")
                .hasMessageContaining("Connection refused");
    }

    private static boolean everyVertexIs(JsonNode details, String state) {
        JsonNode vertices = details.path("vertices");
        if (vertices.isEmpty()) {
            return false;
        }
        for (JsonNode vertex : vertices) {
            if (!state.equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTerminal(JsonNode details) {
        return List.of("FINISHED", "CANCELED", "FAILED").contains(details.path("state").asText());
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode await(String url, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode last = get(url);
        while (!condition.test(last)) {
            assertThat(System.nanoTime()).as("waiting on " + url + ", last: " + last).isLessThan(deadline);
            Thread.sleep(100);
            last = get(url);
        }
        return last;
    }

    /** A JVM with the Flink jars the jobs module runs on, not Ringfence's nor the Kafka connector's. */
    private static Process startCluster(Path tmp) throws Exception {
        Path jobsTarget = Path.of("..", "jobs", "target").toAbsolutePath().normalize();
        List<String> classpath = new ArrayList<>();
        classpath.add(Path.of(FlinkClusterMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String entry : Files.readString(jobsTarget.resolve("runtime.classpath")).trim().split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (!name.startsWith("ringfence-") && !name.startsWith("kafka-clients") && !name.startsWith("flink-connector-kafka")) {
                classpath.add(entry);
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(arg -> arg.startsWith("--")).forEach(command::add);
        command.addAll(Arrays.asList("-cp", String.join(File.pathSeparator, classpath), FlinkClusterMain.class.getName(),
                tmp.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int restPort(Process cluster) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("rest ")) {
                Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(rest -> { }));
                return Integer.parseInt(line.substring("rest ".length()));
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the Flink cluster JVM ended before its REST endpoint was up:\n" + seen);
    }
}
