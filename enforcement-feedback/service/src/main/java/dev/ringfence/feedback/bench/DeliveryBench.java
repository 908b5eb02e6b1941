package dev.ringfence.feedback.bench;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.audit.EpochNanos;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.link.SensorLink;
import dev.ringfence.feedback.link.SensorLinkConfig;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.rails.ProtectedSet;
import dev.ringfence.feedback.rails.RailsConfig;
import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Decision delivery latency over real mTLS gRPC on loopback: an issuer submits a decision, the
 * service routes it, a sensor link receives it and acks. Measures submit -> decision in the sensor's
 * hands (what the kernel then applies) and the submit call itself, one decision at a time.
 * {@code --decisions N} (default 500), {@code --warmup N} (default 100), {@code --json FILE}.
 */
public final class DeliveryBench {
    private static final String NODE = "bench-node";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private DeliveryBench() {}

    public static void main(String[] args) throws Exception {
        int decisions = intOption(args, "--decisions", 500);
        int warmup = intOption(args, "--warmup", 100);
        String json = option(args, "--json");
        Path dir = Files.createTempDirectory("ringfence-delivery-bench");
        try {
            Map<String, Object> results = run(dir, decisions, warmup);
            results.forEach((key, value) -> System.out.println(key + " = " + value));
            if (json != null) {
                Files.writeString(Path.of(json), toJson(results), StandardCharsets.UTF_8);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Map<String, Object> run(Path dir, int decisions, int warmup) throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(dir.resolve("certs"));
        ca.issueService(FeedbackConfig.DEFAULT_SERVICE_NAME, List.of());
        IssuedCertificate node = ca.issueNode(NODE);
        IssuedCertificate issuer = ca.issueIssuer("bench");
        int budget = decisions + warmup + 10;
        FeedbackConfig config = FeedbackConfig.builder(ca.directory()).port(0)
                .rails(new RailsConfig(ProtectedSet.defaults(), budget, budget)).build();
        LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        try (FeedbackService service = FeedbackService.start(config);
             EnforcementClient client = EnforcementClient.connect("localhost:" + service.port(), issuer.tls())) {
            SensorLink[] holder = new SensorLink[1];
            holder[0] = SensorLink.create(new SensorLinkConfig("localhost:" + service.port(), node.tls()), decision -> {
                long arrived = System.nanoTime();
                holder[0].ack(DecisionAck.newBuilder().setDecisionId(decision.getDecisionId()).setNode(NODE)
                        .setTimeNs(EpochNanos.now(Clock.systemUTC())).setOutcome(AckOutcome.APPLIED).build());
                arrivals.offer(arrived);
            });
            try (SensorLink link = holder[0].start()) {
                if (!link.awaitConnected(WAIT)) {
                    throw new IllegalStateException("the bench sensor did not connect within " + WAIT);
                }
                long[] delivery = new long[decisions];
                long[] submitCall = new long[decisions];
                for (int i = -warmup; i < decisions; i++) {
                    long start = System.nanoTime();
                    if (client.submit(decision(i + warmup)).getVerdict() != Verdict.ACCEPTED) {
                        throw new IllegalStateException("the service refused bench decision " + i);
                    }
                    long answered = System.nanoTime();
                    Long arrived = arrivals.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    if (arrived == null) {
                        throw new IllegalStateException("decision " + i + " did not reach the sensor within " + WAIT);
                    }
                    if (i >= 0) {
                        delivery[i] = arrived - start;
                        submitCall[i] = answered - start;
                    }
                }
                Map<String, Object> results = new LinkedHashMap<>();
                results.put("decisions_count", decisions);
                results.put("decision_delivery_p50_ms", millis(percentile(delivery, 50)));
                results.put("decision_delivery_p99_ms", millis(percentile(delivery, 99)));
                results.put("decision_delivery_max_ms", millis(percentile(delivery, 100)));
                results.put("submit_call_p50_ms", millis(percentile(submitCall, 50)));
                results.put("submit_call_p99_ms", millis(percentile(submitCall, 99)));
                return results;
            }
        }
    }

    private static Decision decision(int sequence) {
        long now = EpochNanos.now(Clock.systemUTC());
        return Decision.newBuilder()
                .setDecisionId("bench-" + sequence + "-" + now)
                .setIssuedNs(now)
                .setIssuer("bench")
                .setAction(DecisionAction.KILL_PROCESS)
                .setTarget(DecisionTarget.newBuilder().setNode(NODE).setExecId(NODE + ":" + (1000 + sequence) + ":1").build())
                .setReason("delivery benchmark")
                .setExpiresNs(now + Duration.ofMinutes(1).toNanos())
                .setDryRun(true)
                .build();
    }

    /** Nearest-rank percentile. */
    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static String toJson(Map<String, Object> results) {
        StringBuilder json = new StringBuilder("{");
        results.forEach((key, value) -> json.append(json.length() > 1 ? ", " : "").append('"').append(key).append("\": ").append(value));
        return json.append("}\n").toString();
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                return args[i + 1];
            }
            if (args[i].startsWith("--") && !List.of("--decisions", "--warmup", "--json").contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (known: --decisions N, --warmup N, --json FILE)");
            }
        }
        return null;
    }

    private static int intOption(String[] args, String name, int fallback) {
        String text = option(args, name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 1 || value > 1_000_000) {
                throw new IllegalArgumentException(name + " must be 1..1000000, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + text + "'");
        }
    }
}
