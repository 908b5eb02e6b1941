package dev.ringfence.allinone.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Decision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The attack scenarios. Each runs its attack inside a pod exactly as {@code demo exec} would (the detectors
 * know nothing of them), waits for the alert, and reads the containment from what the kernel did to the attack:
 * the shell's exit status 137, a connect failing with EPERM. Latency runs from the attack's detectable action
 * (the shell's exec, the exploit request, the probe or byte that crossed the detector's threshold) to that
 * observation, both on this host's clock.
 */
final class Scenarios {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ALERT_WAIT_MS = 20_000;
    /** An open flow's bytes reach the pipeline each time they pass another 4 MiB (sensor flow.bpf.c). */
    private static final long SENSOR_FLOW_VOLUME_STEP = 4L << 20;

    /** One scenario's outcome, as the summary reports it. */
    record Result(String name, boolean detected, List<String> ruleIds, boolean contained, String enforcement, Double latencyMs,
                  long startedMs, long endedMs, List<String> alertIds, List<String> storyline, ContainmentPath path) {}

    /** A containment seen in the kernel: the workload acted on, the action it answered and its effect (ms). */
    private record Contained(String workloadKey, double actionMs, double effectMs) {}

    private final DemoStack demo;
    private final boolean observe;
    private final ScenarioAlerts alerts = new ScenarioAlerts();

    Scenarios(DemoStack demo, boolean observe) {
        this.demo = demo;
        this.observe = observe;
    }

    Result run(String name) throws Exception {
        demo.say("=== scenario " + name + " ===");
        long started = System.currentTimeMillis();
        demo.recorder.listen(line -> demo.say("  pipeline: " + Demo.describe(line)));
        try {
            return switch (name) {
                case "shell" -> shell(started);
                case "chain" -> chain(started);
                case "exfil" -> exfil(started, DemoCluster.DROP_IP);
                case "scan" -> scan(started);
                default -> throw new IllegalArgumentException(name);
            };
        } finally {
            demo.recorder.listen(line -> {});
        }
    }

    private Result shell(long started) throws Exception {
        DemoCluster.Pod api = demo.cluster.pod("api");
        String script = observe ? "sleep 8; echo done" : "sleep 30; echo done";
        demo.say("  shop/api: an unexpected shell starts: sh -c '" + script + "'");
        Path timing = Files.createTempFile(demo.cluster.logs(), "shell", ".json");
        Process process = new ProcessBuilder(demo.cluster.podExec(api.cgroup(), api.netnsFile(), timing, List.of("/bin/sh", "-c", script)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        JsonNode times = JSON.readTree(timing.toFile());
        Files.deleteIfExists(timing);
        int status = times.path("status").asInt(-1);
        boolean killed = status == 137;
        demo.say("  shop/api: the shell ended with exit status " + status + (killed ? " (SIGKILL)" : ""));
        boolean detected = demo.recorder.awaitAlert(started, alert -> rule(alert, "RF-EXEC-001") && on(alert, api), ALERT_WAIT_MS);
        Contained killedShell = killed ? new Contained(api.workloadKey(), times.path("start_ms").asDouble(),
                times.path("end_ms").asDouble()) : null;
        return result("shell", started, detected, killed, killed ? "exit 137" : "none (exit " + status + ")", killedShell);
    }

    private Result chain(long started) throws Exception {
        DemoCluster.Pod frontend = demo.cluster.pod("frontend");
        DemoCluster.Pod db = demo.cluster.pod("db");
        String command = "id; uname -a; hostname; cat /etc/passwd; ls /; " + (observe ? "sleep 8" : "sleep 30");
        demo.say("  shop/frontend (compromised) -> shop/db admin endpoint " + db.ip() + ":9000, which runs what it is sent");
        JsonNode result = attack(frontend, List.of("chain", "--target", db.ip(), "--port", "9000", "--command", command,
                "--wait", observe ? "10" : "20"));
        int status = result.path("shell_status").asInt(-1);
        double killedMs = result.path("killed_ms").asDouble(0);
        if (!result.hasNonNull("shell_status")) {
            // the block of frontend -> db:9000 can end the exploit's own connection before the answer: the admin
            // endpoint's log says how the shell ended
            double[] ended = shellEnded(result.path("action_ms").asDouble(0));
            if (ended != null) {
                status = (int) ended[0];
                killedMs = ended[1];
                demo.say("  shop/db: the admin endpoint's shell ended with status " + status + " (its answer did not reach frontend: "
                        + result.path("error").asText("connection cut") + ")");
            }
        }
        boolean killed = status == 137;
        boolean blocked = !result.path("blocked_ms").isNull() && !result.path("blocked_ms").isMissingNode();
        boolean detected = demo.recorder.awaitAlert(started, alert -> rule(alert, "RF-CHAIN-001")
                && DemoRecorder.storylineWorkloads(alert).containsAll(List.of(frontend.workloadKey(), db.workloadKey())), ALERT_WAIT_MS);
        // the kill of the shell in db is what the latency measures (the block of frontend -> db comes with it)
        Contained timing = killed ? new Contained(db.workloadKey(), result.path("action_ms").asDouble(), killedMs) : null;
        String enforcement = (killed ? "shell exit 137" : "shell exit " + status) + (blocked ? ", frontend -> db:9000 EPERM" : "");
        return result("chain", started, detected, killed && blocked, enforcement, timing);
    }

    /** Exfiltration to {@code destination} (an address of the outside host). */
    Result exfil(String destination) throws Exception {
        demo.say("=== scenario exfil ===");
        long started = System.currentTimeMillis();
        demo.recorder.listen(line -> demo.say("  pipeline: " + Demo.describe(line)));
        try {
            return exfil(started, destination);
        } finally {
            demo.recorder.listen(line -> {});
        }
    }

    /** {status, ended ms} of the last shell the db admin endpoint ran after {@code sinceMs}, from its log; null if none. */
    private double[] shellEnded(double sinceMs) throws Exception {
        Path log = demo.cluster.logs().resolve("db-admin.log");
        for (int attempt = 0; attempt < 50; attempt++) {
            double[] found = null;
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("command ended with (-?\\d+) at ([0-9.]+)").matcher(line);
                    if (matcher.find() && Double.parseDouble(matcher.group(2)) >= sinceMs) {
                        found = new double[] {Integer.parseInt(matcher.group(1)), Double.parseDouble(matcher.group(2))};
                    }
                }
            }
            if (found != null) {
                return found;
            }
            Thread.sleep(200);
        }
        return null;
    }

    private Result exfil(long started, String destination) throws Exception {
        DemoCluster.Pod api = demo.cluster.pod("api");
        demo.say("  shop/api (compromised) uploads 40 MiB on one connection to " + destination + ":" + DemoCluster.SINK_PORT
                + " (outside the cluster)");
        // detectable once the rule's volume is sent and the sensor reported the open flow's bytes
        long detectable = Math.max(DemoStack.NEW_DESTINATION_MIN_BYTES, SENSOR_FLOW_VOLUME_STEP);
        JsonNode result = attack(api, List.of("exfil", "--target", destination + ":" + DemoCluster.SINK_PORT, "--total-mb", "40",
                "--chunk-kb", "256", "--rate-mbps", "4", "--min-bytes", Long.toString(detectable)));
        boolean blocked = result.path("enforcement").asText("").equals("EPERM");
        long sent = result.path("sent_bytes").asLong();
        long total = result.path("total_bytes").asLong();
        boolean detected = demo.recorder.awaitAlert(started, alert -> rule(alert, "RF-EXFIL-001") && on(alert, api), ALERT_WAIT_MS);
        Contained timing = blocked && result.hasNonNull("action_ms") ? new Contained(api.workloadKey(),
                result.path("action_ms").asDouble(), result.path("contained_ms").asDouble()) : null;
        String enforcement = blocked ? String.format("EPERM after %.1f of %d MiB", sent / 1048576.0, total >> 20)
                + (result.path("aborted").asBoolean() ? " (open upload aborted)" : "")
                : String.format("none (%.1f of %d MiB sent)", sent / 1048576.0, total >> 20);
        return result("exfil", started, detected, blocked && sent < total, enforcement, timing);
    }

    /** The frontend's benign traffic reaches one internal peer, the api (shop.py frontend --api). */
    private static final double FRONTEND_BENIGN_PEER_WEIGHT = 1;

    private Result scan(long started) throws Exception {
        DemoCluster.Pod frontend = demo.cluster.pod("frontend");
        demo.say("  shop/frontend (compromised) sweeps " + DemoCluster.POD_CIDR);
        // the detector also counts the frontend's benign peer (api:8080, an open connect): counted without it, the
        // attacker's own tally crosses later and more often after the isolation landed, leaving no action to measure
        // from (what else the frontend reached within the detector's window, such as the chain's connections, it
        // still cannot know)
        double attackerThreshold = DemoStack.SCAN_THRESHOLD - FRONTEND_BENIGN_PEER_WEIGHT;
        JsonNode result = attack(frontend, List.of("scan", "--subnet", DemoCluster.SUBNET, "--hosts", "2-24",
                "--ports", "22,80,443,3306,5432,6379,8080,9000",
                "--threshold", Double.toString(attackerThreshold), "--failed-weight", Double.toString(DemoStack.SCAN_FAILED_WEIGHT),
                "--control", demo.cluster.pod("api").ip() + ":8080", "--wait", observe ? "5" : "15"));
        boolean isolated = result.path("enforcement").asText("").equals("EPERM");
        boolean detected = demo.recorder.awaitAlert(started, alert -> rule(alert, "RF-SCAN-001") && on(alert, frontend), ALERT_WAIT_MS);
        Contained timing = isolated && result.hasNonNull("action_ms") ? new Contained(frontend.workloadKey(),
                result.path("action_ms").asDouble(), result.path("contained_ms").asDouble()) : null;
        return result("scan", started, detected, isolated, isolated ? "EPERM (isolated)" : "none", timing);
    }

    /** Runs attack.py inside the pod, echoing its steps; returns its result object. */
    private JsonNode attack(DemoCluster.Pod pod, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "-u", demo.cluster.bin().resolve("attack.py").toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(demo.cluster.podExec(pod.cgroup(), pod.netnsFile(), null, command))
                .redirectError(ProcessBuilder.Redirect.appendTo(demo.cluster.logs().resolve("attack.log").toFile())).start();
        JsonNode result = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode node = JSON.readTree(line);
                if (node.has("step")) {
                    demo.say("  " + pod.key() + ": " + node.path("step").asText());
                } else if (node.has("result")) {
                    result = node.path("result");
                }
            }
        }
        process.waitFor(60, TimeUnit.SECONDS);
        if (result == null) {
            throw new IllegalStateException("the attack in " + pod.key() + " gave no result (exit " + process.exitValue() + "); see "
                    + demo.cluster.logs().resolve("attack.log"));
        }
        return result;
    }

    private Result result(String name, long started, boolean detected, boolean contained, String enforcement, Contained timing)
            throws InterruptedException {
        Thread.sleep(1500); // late revisions of this scenario's alerts still count for it
        long ended = System.currentTimeMillis();
        ScenarioAlerts.Raised raised = alerts.attribute(demo.recorder.alerts(), started, ended);
        boolean reallyContained = contained && !observe;
        boolean timed = reallyContained && timing != null;
        Double latency = timed ? timing.effectMs() - timing.actionMs() : null;
        ContainmentPath path = timed
                ? ContainmentPath.of(demo.recorder, timing.workloadKey(), timing.actionMs(), timing.effectMs()).orElse(null)
                : null;
        demo.say("  => " + (detected ? "detected " + raised.ruleIds() : "NOT detected") + ", " + (reallyContained ? "contained: " : "not contained: ")
                + enforcement + (latency == null ? "" : String.format(", %.1f ms from the attack action", latency))
                + (path == null ? "" : " (" + path.describe() + ")"));
        return new Result(name, detected, raised.ruleIds(), reallyContained, enforcement, latency, started, ended,
                raised.alertIds(), raised.storyline(), path);
    }

    private static boolean rule(Alert alert, String ruleId) {
        return alert.getRuleId().equals(ruleId);
    }

    private static boolean on(Alert alert, DemoCluster.Pod pod) {
        return alert.getWorkload().getWorkloadKey().equals(pod.workloadKey());
    }

    /** Alerts first seen outside every scenario (benign traffic), and the enforced decisions that came of them. */
    static Map<String, Long> benign(DemoRecorder recorder, List<Result> results) {
        Set<String> attributed = new java.util.HashSet<>();
        results.forEach(result -> attributed.addAll(result.alertIds()));
        Set<String> benignAlerts = new LinkedHashSet<>();
        for (var seen : recorder.alerts()) {
            if (!attributed.contains(seen.record().getAlertId())) {
                benignAlerts.add(seen.record().getAlertId());
            }
        }
        long enforcements = 0;
        for (var seen : recorder.decisions()) {
            Decision decision = seen.record();
            boolean ours = decision.getAlertId() != null && attributed.contains(decision.getAlertId());
            if (!ours && !decision.getDryRun()) {
                enforcements++;
            }
        }
        return Map.of("benign_alerts", (long) benignAlerts.size(), "benign_enforcements", enforcements);
    }
}
