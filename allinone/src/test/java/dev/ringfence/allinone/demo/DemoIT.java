package dev.ringfence.allinone.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.allinone.up.SensorScope;
import dev.ringfence.sensor.enforce.Enforcer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ./ringfence demo} as its own process on the real stack (root, BTF: the sensor enforces for real),
 * then checks per scenario the alert (rule, storyline members), the containment the kernel showed (exit 137,
 * EPERM), that the benign traffic raised no alert and no enforcement over the same run, and that nothing of the
 * demo is left on the host.
 */
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFourScenariosAreDetectedAndContainedInTheKernelWhileTheBenignTrafficIsLeftAlone(@TempDir Path dir) throws Exception {
        Leftovers leftovers = Leftovers.find();
        Path summaryFile = dir.resolve("summary.json");
        Path output = dir.resolve("demo.out");
        Process demo = demo(dir.resolve("state"), "--summary-json", summaryFile.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = demo.waitFor(8, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroy();
            demo.waitFor(2, TimeUnit.MINUTES);
        }
        String log = Files.readString(output);
        assertThat(ended).as("the demo ends by itself:\n" + log).isTrue();
        assertThat(summaryFile).as("summary written:\n" + log).exists();
        JsonNode summary = JSON.readTree(summaryFile.toFile());
        Map<String, JsonNode> scenarios = new HashMap<>();
        summary.path("scenarios").forEach(scenario -> scenarios.put(scenario.path("name").asText(), scenario));
        assertThat(scenarios.keySet()).as(log).containsExactlyInAnyOrder("shell", "chain", "exfil", "scan");
        assertThat(log).as("the stack proves at start-up that a decision reaches the kernel")
                .containsPattern("enforcement +ready .*self-check: a canary process was killed by a decision on the decisions topic in \\d+ ms");

        JsonNode shell = scenarios.get("shell");
        assertThat(rules(shell)).as(shell + "\n" + log).contains("RF-EXEC-001");
        assertContained(shell, log);
        assertThat(shell.path("enforcement").asText()).isEqualTo("exit 137");

        JsonNode chain = scenarios.get("chain");
        assertThat(rules(chain)).as(chain + "\n" + log).contains("RF-CHAIN-001");
        assertThat(texts(chain.path("storyline_workloads"))).as("one storyline across the pods: " + chain)
                .contains("shop/Pod/frontend", "shop/Pod/db");
        assertContained(chain, log);
        assertThat(chain.path("enforcement").asText()).contains("exit 137").contains("frontend -> db:9000 EPERM");

        JsonNode exfil = scenarios.get("exfil");
        assertThat(rules(exfil)).as(exfil + "\n" + log).contains("RF-EXFIL-001");
        assertContained(exfil, log);
        assertThat(exfil.path("enforcement").asText()).as("stopped mid-transfer, the open connection cut")
                .startsWith("EPERM after").contains("of 40 MiB").endsWith("(open upload aborted)");

        JsonNode scan = scenarios.get("scan");
        assertThat(rules(scan)).as(scan + "\n" + log).contains("RF-SCAN-001");
        // no latency when the isolation landed before the attacker's own tally called the sweep detectable: the
        // detector also counts what the frontend reached earlier in its window (the chain's connections to db)
        assertThat(scan.path("detected").asBoolean()).as("detected: " + scan + "\n" + log).isTrue();
        assertThat(scan.path("contained").asBoolean()).as("contained: " + scan + "\n" + log).isTrue();
        assertThat(scan.path("enforcement").asText()).as("the known-good peer refused too: isolated")
                .isEqualTo("EPERM (isolated)");

        assertThat(summary.path("benign_alerts").asLong(-1)).as("benign traffic raised no alert:\n" + log).isZero();
        assertThat(summary.path("benign_enforcements").asLong(-1)).as("nothing enforced against benign traffic:\n" + log).isZero();
        assertThat(demo.exitValue()).as(log).isZero();

        // what the pipeline said, as recorded: the chain's alert names the shell the exploit spawned in db
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("state/demo/alerts.ndjson"), StandardCharsets.UTF_8)) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).as("the chain alert's storyline has the shell in db").anyMatch(line -> line.path("rule_id").asText().equals("RF-CHAIN-001")
                && line.path("storyline").toString().contains("shop/Pod/db") && line.path("storyline").toString().contains("dash"));
        assertThat(lines).as("a KILL_PROCESS decision was enforced (not a dry run)").anyMatch(line -> line.path("type").asText().equals("decision")
                && line.path("action").asText().equals("KILL_PROCESS") && !line.path("dry_run").asBoolean());
        leftovers.assertNothingLeft();
    }

    static void assertContained(JsonNode scenario, String log) {
        assertThat(scenario.path("detected").asBoolean()).as("detected: " + scenario + "\n" + log).isTrue();
        assertThat(scenario.path("contained").asBoolean()).as("contained: " + scenario + "\n" + log).isTrue();
        assertThat(scenario.path("containment_latency_ms").asDouble(-1)).as("a measured latency: " + scenario).isPositive();
    }

    /** Where the demo's cgroups and pins would be, found at the start (other builds reinstall the jars these classes come from). */
    record Leftovers(Path cgroup, Path pins) {
        static Leftovers find() {
            return new Leftovers(DemoCluster.podsCgroup().getParent(), Enforcer.pinDirectory(SensorScope.hostNode() + "-demo"));
        }

        void assertNothingLeft() throws IOException, InterruptedException {
            assertThat(output("ip", "netns", "list")).as("no demo namespace left").doesNotContain("rfd-");
            assertThat(output("ip", "-o", "link", "show")).as("no demo link left").doesNotContain("rfd-");
            assertThat(cgroup).as("no demo cgroup left").doesNotExist();
            assertThat(pins).as("no demo enforcement pinned").doesNotExist();
        }
    }

    private static List<String> rules(JsonNode scenario) {
        return texts(scenario.path("rule_ids"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    static String output(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return text;
    }

    private static String classPath;

    /**
     * The class path for the demo's processes, with this project's jars copied first: other builds on a shared
     * machine reinstall them in the local repository while a long-running demo still loads classes from them.
     */
    private static synchronized String classPath() throws IOException {
        if (classPath == null) {
            Path copies = Files.createTempDirectory("demo-it-classpath");
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path path = Path.of(entry);
                if (entry.endsWith(".jar") && path.getFileName().toString().startsWith("ringfence-")) {
                    Path copy = copies.resolve(path.getFileName());
                    for (int attempt = 0; ; attempt++) {
                        Files.copy(path, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        try (var zip = new java.util.zip.ZipFile(copy.toFile())) {
                            zip.stream().forEach(zipEntry -> { });
                            break;
                        } catch (IOException e) {
                            if (attempt >= 20) {
                                throw e;
                            }
                            try {
                                Thread.sleep(500); // being rewritten by another build: copy it again
                            } catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                                throw new IOException(interrupted);
                            }
                        }
                    }
                    entries.add(copy.toString());
                } else {
                    entries.add(entry);
                }
            }
            classPath = String.join(java.io.File.pathSeparator, entries);
        }
        return classPath;
    }

    /** {@code ./ringfence demo ARGS} as its own process, with the state directory from the environment as the launcher sets it. */
    static ProcessBuilder demo(Path stateDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "-Xmx768m",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", classPath(), Demo.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("RINGFENCE_STATE_DIR", stateDir.toString());
        return builder;
    }
}
