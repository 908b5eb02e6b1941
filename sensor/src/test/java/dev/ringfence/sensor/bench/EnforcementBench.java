package dev.ringfence.sensor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.feedback.bench.DeliveryBench;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.enforce.Enforcement;
import dev.ringfence.sensor.enforce.Enforcer;
import dev.ringfence.sensor.enforce.net.Cidr;
import dev.ringfence.sensor.enforce.net.ConnectionPolicy;
import dev.ringfence.sensor.enforce.net.Destination;
import dev.ringfence.sensor.enforce.net.Destination.Protocol;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * ./ringfence bench enforcement [--json FILE] [--rounds N (15)] [--connections N (4000)] [--decisions N (200)]
 *
 * <p>Connect latency: a workload in its own cgroup v2 makes sequential TCP connects to a listener
 * of its own on loopback (127.0.0.1: "connect_*" figures, ::1: "connect6_*") and times each connect() call; per round once without the enforcement
 * programs and once with them attached at the cgroup root (connect4/6, sendmsg4/6, inet ingress,
 * exec) and a few hundred block rules in the LPM map, order rotating. Figures are medians of
 * per-round pairs (see {@link PairedRounds}).
 *
 * <p>Decision delivery: a real feedback service over mTLS and a real sensor (capture and
 * enforcement, its link dialled with a node certificate); block decisions, each to a new
 * destination of the workload, submitted one at a time; timed from the submit call to the moment
 * the block rule is present in the kernel's map (looked up by this process, not reported by the
 * applier). At the end a connect from the workload to a blocked destination must fail with EPERM.
 * Baseline of the same run: submit -> a link that only acks (no sensor, no kernel).
 */
public final class EnforcementBench {
    private static final String NODE = "enforcement-bench";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A round (two runs of 4,000 connects, a program load) takes seconds: take many, p99s on a busy machine swing. */
    private static final int DEFAULT_ROUNDS = 15;
    private static final int CONNECT_WARMUP = 200;
    private static final int DECISION_WARMUP = 20;
    /** Block rules of other workloads (cgroup ids no process has), one each. */
    private static final int OTHER_WORKLOADS = 100;
    private static final long POLL_NANOS = 20_000;
    private static final int EPERM = 13;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A figure prefix and the loopback address the workload listens on and connects to. */
    private record Listener(String family, String address) {}

    /** The connect4 and the connect6 hook. */
    private static final List<Listener> LISTENERS = List.of(new Listener("connect", "127.0.0.1"), new Listener("connect6", "::1"));

    private final Path work;
    private final TestCgroup workload;

    private EnforcementBench(Path work, TestCgroup workload) {
        this.work = work;
        this.workload = workload;
    }

    public static void main(String[] args) throws Exception {
        BenchArguments arguments = BenchArguments.parse(args, DEFAULT_ROUNDS);
        Path work = Files.createTempDirectory("ringfence-enforcement-bench-");
        Map<String, Double> results = new LinkedHashMap<>();
        try (TestCgroup workload = TestCgroup.create("bench-enforcement")) {
            EnforcementBench bench = new EnforcementBench(work, workload);
            results.putAll(bench.connectLatency(arguments.rounds(), arguments.connections()));
            results.putAll(bench.decisionDelivery(arguments.decisions()));
        } finally {
            deleteTree(work); // throwaway CAs' keys, the sensor's run directory
        }
        System.out.println("connect latency: connect() timed in the workload, enforcement hooks attached vs not, medians of per-round figures");
        System.out.println("decision delivery: submit call -> block rule present in the kernel's LPM map (bpf map lookup by the bench)");
        results.forEach((key, value) -> System.out.printf("%-34s %s%n", key,
                value == Math.rint(value) ? Long.toString(value.longValue()) : String.format("%.4f", value)));
        if (arguments.json() != null) {
            ObjectNode json = JSON.createObjectNode();
            results.forEach(json::put);
            Files.writeString(arguments.json(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        }
        System.exit(0); // the sensor's and gRPC's non-daemon threads are closed, but do not wait on stragglers
    }

    private Map<String, Double> connectLatency(int roundCount, int connects) {
        Path script = resource("connect_latency.py");
        Map<String, PairedRounds> byFamily = new LinkedHashMap<>();
        LISTENERS.forEach(listener -> byFamily.put(listener.family(), new PairedRounds()));
        int rules = 0;
        for (int round = 0; round < roundCount; round++) {
            Map<String, long[]> without = new LinkedHashMap<>();
            Map<String, long[]> with = new LinkedHashMap<>();
            for (int turn = 0; turn < 2; turn++) {
                if ((turn + round) % 2 == 0) {
                    LISTENERS.forEach(l -> without.put(l.family(), timeConnects(script, l.address(), connects)));
                } else {
                    try (Enforcer enforcer = Enforcer.start(work.resolve("enforcer"), null, hit -> {})) {
                        rules = loadBlockRules(enforcer.connections());
                        LISTENERS.forEach(l -> with.put(l.family(), timeConnects(script, l.address(), connects)));
                    }
                }
            }
            for (String family : byFamily.keySet()) {
                byFamily.get(family).add(without.get(family), with.get(family));
                System.err.printf("round %d %s: p50/p99 without hooks %.3f/%.3f ms, with hooks %.3f/%.3f ms%n", round, family,
                        DeliveryBench.percentile(without.get(family), 50) / 1e6, DeliveryBench.percentile(without.get(family), 99) / 1e6,
                        DeliveryBench.percentile(with.get(family), 50) / 1e6, DeliveryBench.percentile(with.get(family), 99) / 1e6);
            }
        }
        Map<String, Double> results = new LinkedHashMap<>();
        byFamily.forEach((family, rounds) -> {
            results.put(family + "_p50_without_hooks_ms", rounds.baselineMillis(50));
            results.put(family + "_p50_with_hooks_ms", rounds.treatmentMillis(50));
            results.put(family + "_p99_without_hooks_ms", rounds.baselineMillis(99));
            results.put(family + "_p99_with_hooks_ms", rounds.treatmentMillis(99));
            results.put(family + "_p50_overhead_ms", rounds.differenceMillis(50));
            results.put(family + "_p99_overhead_ms", rounds.differenceMillis(99));
            results.put(family + "_p50_ratio", rounds.ratio(50));
            results.put(family + "_p99_ratio", rounds.ratio(99));
        });
        results.put("connect_block_rules", (double) rules);
        results.put("connect_rounds", (double) roundCount);
        results.put("connects_per_round", (double) connects);
        return results;
    }

    /**
     * Rules as a busy node might hold them: the workload's own (v4 networks with and without port
     * and protocol, v6 networks, and for each family one covering the listener's address but another
     * port, so the lookup matches and the port is compared), and rules of many other workloads.
     */
    private int loadBlockRules(ConnectionPolicy policy) {
        int rules = 0;
        Protocol[] protocols = Protocol.values();
        for (int i = 0; i < 256; i++) {
            policy.block(workload.id(), Destination.of("10." + i + ".0.0/16", i % 3 == 0 ? 0 : 1000 + i, protocols[i % protocols.length]));
            rules++;
        }
        for (int i = 0; i < 64; i++) {
            policy.block(workload.id(), Destination.of("fd00:" + Integer.toHexString(i + 1) + "::/32", 443, Protocol.TCP));
            rules++;
        }
        policy.block(workload.id(), Destination.of("127.0.0.0/8", 1, Protocol.TCP));
        policy.block(workload.id(), Destination.of("::1/128", 1, Protocol.TCP));
        rules += 2;
        for (int i = 0; i < OTHER_WORKLOADS; i++) {
            policy.block(Long.MAX_VALUE - i, Destination.of("127.0.0.1/32", 0, Protocol.ANY));
            policy.block(Long.MAX_VALUE - i, Destination.of("::1/128", 0, Protocol.ANY));
            rules += 2;
        }
        policy.isolate(Long.MAX_VALUE - OTHER_WORKLOADS); // the isolation map is not empty either
        return rules;
    }

    /** connect() durations in ns from the workload, in its cgroup. */
    private long[] timeConnects(Path script, String address, int connects) {
        Process process = workload.start(List.of("/usr/bin/python3", script.toString(), address, "" + connects, "" + CONNECT_WARMUP));
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("the connect workload failed: " + output);
            }
            return output.lines().mapToLong(Long::parseLong).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Baseline first: the same submit loop to a link that only acks (DeliveryBench, its own service),
     * so the part the real sensor adds (apply in the kernel, its JVM's threads) shows.
     */
    private Map<String, Double> decisionDelivery(int decisions) throws Exception {
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Object> linkOnly = DeliveryBench.run(work.resolve("link-only"), decisions, DECISION_WARMUP);
        results.put("decision_link_only_p50_ms", ((Number) linkOnly.get("decision_delivery_p50_ms")).doubleValue());
        results.put("decision_link_only_p99_ms", ((Number) linkOnly.get("decision_delivery_p99_ms")).doubleValue());
        results.putAll(decisionToKernel(decisions));
        return results;
    }

    private Map<String, Double> decisionToKernel(int decisions) throws Exception {
        Path reach = resource("reach.py");
        try (DeliveryBench.Setup feedback = DeliveryBench.Setup.start(work.resolve("feedback"), NODE, decisions + DECISION_WARMUP + 10);
             Sensor sensor = Sensor.start(SensorConfig.builder().node(NODE).watchCgroups(List.of(workload.directory()))
                     .runDirectory(work.resolve("sensor")).feedbackAddress(feedback.address())
                     .feedbackCert(feedback.node().certificate()).feedbackKey(feedback.node().privateKey())
                     .feedbackCa(feedback.node().caCertificate()).build(), event -> {})) {
            Enforcement enforcement = sensor.enforcement().orElseThrow();
            if (!enforcement.awaitConnected(WAIT)) {
                throw new IllegalStateException("the sensor did not connect to the feedback service within " + WAIT);
            }
            ConnectionPolicy kernel = enforcement.connections();
            DeliveryBench.Timings timings = DeliveryBench.time(feedback.client(), decisions, DECISION_WARMUP, this::block,
                    (decision, timeout) -> awaitBlocked(kernel, Cidr.parse(decision.getTarget().getDestinationCidr()), timeout));
            String lastBlocked = destination(decisions + DECISION_WARMUP - 1);
            int status = workload.run(List.of("/usr/bin/python3", reach.toString(), lastBlocked, "9", "tcp"));
            if (status != EPERM) {
                throw new IllegalStateException("a connect to blocked " + lastBlocked + " did not fail with EPERM (status " + status + ")");
            }
            Map<String, Double> results = new LinkedHashMap<>();
            results.put("decision_delivery_p50_ms", DeliveryBench.percentile(timings.observed(), 50) / 1e6);
            results.put("decision_delivery_p99_ms", DeliveryBench.percentile(timings.observed(), 99) / 1e6);
            results.put("decision_delivery_max_ms", DeliveryBench.percentile(timings.observed(), 100) / 1e6);
            results.put("decision_submit_call_p50_ms", DeliveryBench.percentile(timings.submitCall(), 50) / 1e6);
            results.put("decision_submit_call_p99_ms", DeliveryBench.percentile(timings.submitCall(), 99) / 1e6);
            results.put("decisions_count", (double) decisions);
            return results;
        } finally {
            Enforcer.removePins(Enforcer.pinDirectory(NODE));
        }
    }

    /** Polls the kernel's block map every ~20 us; the System.nanoTime() the rule was first seen, or -1. */
    private long awaitBlocked(ConnectionPolicy kernel, Cidr network, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (kernel.blocked(workload.id(), network)) {
                return System.nanoTime();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return -1;
    }

    /** A distinct loopback address per decision: 127.1.x.y. */
    private static String destination(int sequence) {
        return "127.1." + (sequence / 256) + "." + (sequence % 256);
    }

    private Decision block(int sequence) {
        long now = System.currentTimeMillis() * 1_000_000L;
        WorkloadIdentity identity = WorkloadIdentity.newBuilder().setNode(NODE).setWorkloadKey("host/" + NODE + "/bench")
                .setWorkloadKind("Cgroup").setWorkloadName("bench").setCgroupPath(workload.path()).build();
        return Decision.newBuilder().setDecisionId("bench-" + sequence + "-" + now).setIssuedNs(now).setIssuer("bench")
                .setAction(DecisionAction.BLOCK_CONNECTION)
                .setTarget(DecisionTarget.newBuilder().setNode(NODE).setWorkload(identity)
                        .setDestinationCidr(destination(sequence) + "/32").build())
                .setReason("enforcement benchmark").setExpiresNs(now + Duration.ofMinutes(5).toNanos()).setDryRun(false).build();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** A script of the test class path (bench/ or enforce/), copied to the work directory. */
    private Path resource(String name) {
        Path file = work.resolve(name);
        for (String folder : List.of("/bench/", "/enforce/")) {
            try (InputStream in = EnforcementBench.class.getResourceAsStream(folder + name)) {
                if (in != null) {
                    Files.copy(in, file);
                    return file;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no script " + name + " on the class path");
    }
}
