package dev.ringfence.allinone.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.sensor.enforce.Enforcer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Entry point of {@code ./ringfence demo}: attack scenarios against a small cluster on this host, the real pipeline. */
public final class Demo {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_FILE = "cluster.json";

    private Demo() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("ringfence demo: " + e.getMessage());
            err.println(DemoOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(DemoOptions.USAGE);
            return 0;
        }
        try {
            return switch (options.command()) {
                case "run" -> scenarios(options, out, err);
                case "up" -> up(options, out, err);
                case "exec" -> exec(options, err);
                case "alerts" -> alerts(options, out, err);
                case "down" -> down(options, out);
                default -> throw new IllegalStateException(options.command());
            };
        } catch (Exception e) {
            err.println("ringfence demo " + options.command() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    private static int scenarios(DemoOptions options, PrintStream out, PrintStream err) throws Exception {
        refuseIfUp(options);
        DemoStack demo = new DemoStack(options.demoDir(), out, options.observe());
        Thread hook = new Thread(demo::close, "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Scenarios.Result> results = new ArrayList<>();
        Map<String, Long> benign;
        try {
            demo.start();
            demo.awaitLearning();
            Scenarios scenarios = new Scenarios(demo, options.observe());
            for (String name : options.scenarios()) {
                results.add(scenarios.run(name));
            }
            benign = Scenarios.benign(demo.recorder, results);
        } finally {
            demo.close();
            removeHook(hook);
        }
        printSummary(out, results, benign, options.observe());
        if (options.summaryJson() != null) {
            Files.writeString(options.summaryJson(), summaryJson(results, benign), StandardCharsets.UTF_8);
        }
        boolean ok = benign.values().stream().allMatch(count -> count == 0)
                && results.stream().allMatch(result -> result.detected() && (options.observe() || result.contained()));
        return ok ? 0 : 1;
    }

    static String summaryJson(List<Scenarios.Result> results, Map<String, Long> benign) throws IOException {
        List<Map<String, Object>> scenarios = new ArrayList<>();
        for (Scenarios.Result result : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", result.name());
            entry.put("detected", result.detected());
            entry.put("rule_ids", result.ruleIds());
            entry.put("contained", result.contained());
            entry.put("enforcement", result.enforcement());
            entry.put("containment_latency_ms", result.latencyMs());
            entry.put("containment_path_ms", result.path() == null ? null : result.path().legs());
            entry.put("storyline_workloads", result.storyline());
            scenarios.add(entry);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scenarios", scenarios);
        summary.put("benign_alerts", benign.get("benign_alerts"));
        summary.put("benign_enforcements", benign.get("benign_enforcements"));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n";
    }

    private static void printSummary(PrintStream out, List<Scenarios.Result> results, Map<String, Long> benign, boolean observe) {
        out.println();
        out.println("Summary (" + (observe ? "observe: dry-run decisions" : "enforce") + ")");
        out.printf("%-8s %-9s %-40s %-10s %-44s %s%n", "scenario", "detected", "rules", "contained", "enforcement (kernel)", "latency");
        for (Scenarios.Result result : results) {
            out.printf("%-8s %-9s %-40s %-10s %-44s %s%n", result.name(), result.detected() ? "yes" : "NO", String.join(",", result.ruleIds()),
                    result.contained() ? "yes" : "no", result.enforcement(),
                    result.latencyMs() == null ? "-" : String.format("%.1f ms", result.latencyMs()));
        }
        out.println("benign traffic: " + benign.get("benign_alerts") + " alerts, " + benign.get("benign_enforcements") + " enforcements");
    }

    private static int up(DemoOptions options, PrintStream out, PrintStream err) throws Exception {
        refuseIfUp(options);
        DemoStack demo = new DemoStack(options.demoDir(), out, options.observe());
        CountDownLatch stopped = new CountDownLatch(1);
        Path state = options.demoDir().resolve(STATE_FILE);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            try {
                Files.deleteIfExists(state);
            } catch (IOException e) {
                // down removes it too
            }
            stopped.countDown();
        }, "demo-cleanup"));
        demo.start();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("pid", ProcessHandle.current().pid());
        record.put("node", demo.node());
        record.put("bin", demo.cluster.bin().toString());
        List<Map<String, Object>> pods = new ArrayList<>();
        for (DemoCluster.Pod pod : demo.cluster.pods()) {
            pods.add(Map.of("namespace", pod.namespace(), "name", pod.name(), "ip", pod.ip(), "cgroup", pod.cgroup().toString(),
                    "netns", pod.netnsFile()));
        }
        record.put("pods", pods);
        record.put("outside", Map.of("payments", DemoCluster.PAYMENTS_IP, "drop", DemoCluster.DROP_IP, "port", DemoCluster.SINK_PORT));
        Files.writeString(state, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record), StandardCharsets.UTF_8);
        demo.awaitLearning();
        demo.recorder.listen(line -> demo.say(describe(line)));
        demo.say("Ready (" + (options.observe() ? "observe" : "enforce") + "). Try: ./ringfence demo exec shop/api -- sh -c id ;"
                + " ./ringfence demo alerts ; ./ringfence demo down (or Ctrl-C)");
        stopped.await();
        return 0;
    }

    private static int exec(DemoOptions options, PrintStream err) throws Exception {
        JsonNode state = readState(options);
        for (JsonNode pod : state.path("pods")) {
            if ((pod.path("namespace").asText() + "/" + pod.path("name").asText()).equals(options.target())) {
                List<String> command = DemoCluster.podExec(Path.of(state.path("bin").asText()), Path.of(pod.path("cgroup").asText()),
                        pod.path("netns").asText(), null, options.execCommand());
                return new ProcessBuilder(command).inheritIO().start().waitFor();
            }
        }
        List<String> names = new ArrayList<>();
        state.path("pods").forEach(pod -> names.add(pod.path("namespace").asText() + "/" + pod.path("name").asText()));
        err.println("ringfence demo exec: no pod " + options.target() + " (pods: " + String.join(", ", names) + ")");
        return 2;
    }

    private static int alerts(DemoOptions options, PrintStream out, PrintStream err) throws IOException {
        Path file = options.demoDir().resolve("alerts.ndjson");
        if (!Files.exists(file)) {
            err.println("ringfence demo alerts: nothing recorded yet (" + file + "); start the demo with ./ringfence demo up");
            return 1;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            if (options.json()) {
                out.println(line);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = JSON.readValue(line, Map.class);
                out.println(LocalTime.ofInstant(Instant.ofEpochMilli(((Number) fields.get("received_ms")).longValue()), ZoneId.systemDefault())
                        .format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + "  " + describe(fields));
            }
        }
        return 0;
    }

    private static int down(DemoOptions options, PrintStream out) throws Exception {
        Path state = options.demoDir().resolve(STATE_FILE);
        if (Files.exists(state)) {
            JsonNode record = JSON.readTree(state.toFile());
            long pid = record.path("pid").asLong();
            var running = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (running.isPresent()) {
                out.println("stopping demo up (pid " + pid + ")");
                running.get().destroy();
                running.get().onExit().get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            Enforcer.removePins(Enforcer.pinDirectory(record.path("node").asText()));
            Files.deleteIfExists(state);
        }
        List<String> removed = DemoCluster.teardown();
        out.println(removed.isEmpty() ? "nothing of the demo was left" : "removed: " + String.join(", ", removed));
        return 0;
    }

    private static void refuseIfUp(DemoOptions options) throws IOException {
        Path state = options.demoDir().resolve(STATE_FILE);
        if (Files.exists(state)) {
            long pid = JSON.readTree(state.toFile()).path("pid").asLong();
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()) {
                throw new IllegalStateException("a demo is up (pid " + pid + "); ./ringfence demo down first");
            }
        }
    }

    private static JsonNode readState(DemoOptions options) throws IOException {
        Path state = options.demoDir().resolve(STATE_FILE);
        if (!Files.exists(state)) {
            throw new IllegalStateException("no demo is up (" + state + " missing); start one with ./ringfence demo up");
        }
        return JSON.readTree(state.toFile());
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs (closing twice is a no-op)
        }
    }

    /** One human line for a recorded alert, decision or enforcement action. */
    static String describe(Map<String, Object> line) {
        return switch (String.valueOf(line.get("type"))) {
            case "alert" -> "ALERT " + line.get("rule_id") + " rev " + line.get("revision") + " " + line.get("severity") + " "
                    + line.get("workload") + ": " + line.get("summary") + " [storyline: " + line.get("storyline_workloads") + "]";
            case "decision" -> "DECISION " + line.get("action") + (Boolean.TRUE.equals(line.get("dry_run")) ? " (dry run) " : " ")
                    + line.get("target") + " for " + line.get("rule_id");
            case "enforcement" -> "KERNEL " + line.get("kind") + " " + line.get("action") + " " + (line.get("workload") == null ? "" : line.get("workload"))
                    + (line.get("binary") == null ? "" : " " + line.get("binary")) + (line.get("destination") == null ? "" : " -> " + line.get("destination"))
                    + (line.get("reason") == null ? "" : " (" + line.get("reason") + ")");
            case "audit" -> "FEEDBACK " + line.get("kind") + " " + line.get("decision_id") + " (" + line.get("reason") + ")";
            default -> line.toString();
        };
    }
}
