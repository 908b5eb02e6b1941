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
import dev.ringfence.feedback.protocol.SubmitReply;
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
import java.util.function.IntFunction;
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

    /**
     * The whole measurement (service, a link that acks on arrival, decisions one at a time) with its
     * own CA under dir; the figures by key as printed. Also the link-only baseline of the sensor's
     * enforcement bench.
     */
    public static Map<String, Object> run(Path dir, int decisions, int warmup) throws Exception {
        LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        try (Setup setup = Setup.start(dir, NODE, decisions + warmup + 10)) {
            SensorLink[] holder = new SensorLink[1];
            holder[0] = SensorLink.create(new SensorLinkConfig(setup.address(), setup.node().tls()), decision -> {
                long arrived = System.nanoTime();
                holder[0].ack(DecisionAck.newBuilder().setDecisionId(decision.getDecisionId()).setNode(NODE)
                        .setTimeNs(EpochNanos.now(Clock.systemUTC())).setOutcome(AckOutcome.APPLIED).build());
                arrivals.offer(arrived);
            });
            try (SensorLink link = holder[0].start()) {
                if (!link.awaitConnected(WAIT)) {
                    throw new IllegalStateException("the bench sensor did not connect within " + WAIT);
                }
                Timings timings = time(setup.client(), decisions, warmup, DeliveryBench::decision, (decision, timeout) -> {
                    Long arrived = arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    return arrived == null ? -1 : arrived;
                });
                Map<String, Object> results = new LinkedHashMap<>();
                results.put("decisions_count", decisions);
                results.put("decision_delivery_p50_ms", millis(percentile(timings.observed(), 50)));
                results.put("decision_delivery_p99_ms", millis(percentile(timings.observed(), 99)));
                results.put("decision_delivery_max_ms", millis(percentile(timings.observed(), 100)));
                results.put("submit_call_p50_ms", millis(percentile(timings.submitCall(), 50)));
                results.put("submit_call_p99_ms", millis(percentile(timings.submitCall(), 99)));
                return results;
            }
        }
    }

    /**
     * A feedback service on a free loopback port with a fresh CA (in dir), the certificate of one
     * node and a connected issuer client ("bench"); the rate rails let budget decisions a minute through.
     */
    public record Setup(FeedbackService service, IssuedCertificate node, EnforcementClient client) implements AutoCloseable {
        public static Setup start(Path dir, String node, int budget) throws Exception {
            CertificateAuthority ca = CertificateAuthority.init(dir.resolve("certs"));
            ca.issueService(FeedbackConfig.DEFAULT_SERVICE_NAME, List.of());
            IssuedCertificate nodeCertificate = ca.issueNode(node);
            IssuedCertificate issuer = ca.issueIssuer("bench");
            FeedbackService service = FeedbackService.start(FeedbackConfig.builder(ca.directory()).port(0)
                    .rails(new RailsConfig(ProtectedSet.defaults(), budget, budget)).build());
            return new Setup(service, nodeCertificate, EnforcementClient.connect("localhost:" + service.port(), issuer.tls()));
        }

        public String address() {
            return "localhost:" + service.port();
        }

        @Override
        public void close() {
            client.close();
            service.close();
        }
    }

    /** Where a decision is seen arriving: returns the System.nanoTime() it was seen at, or -1 if not within the timeout. */
    @FunctionalInterface
    public interface Observer {
        long await(Decision decision, Duration timeout) throws InterruptedException;
    }

    /** Per counted decision, in ns: submit -> observed, and the submit call itself. */
    public record Timings(long[] observed, long[] submitCall) {}

    /**
     * Submits decisions (issuer "bench") one at a time, each after the previous one was observed;
     * the first warmup ones are not counted. Fails when the service refuses one or it is not observed within 30 s.
     */
    public static Timings time(EnforcementClient client, int decisions, int warmup, IntFunction<Decision> decisionFor,
                               Observer observer) throws InterruptedException {
        long[] observed = new long[decisions];
        long[] submitCall = new long[decisions];
        for (int i = -warmup; i < decisions; i++) {
            Decision decision = decisionFor.apply(i + warmup);
            long start = System.nanoTime();
            SubmitReply reply = client.submit(decision);
            if (reply.getVerdict() != Verdict.ACCEPTED) {
                throw new IllegalStateException("the service refused bench decision " + i + ": " + reply.getReason());
            }
            long answered = System.nanoTime();
            long seen = observer.await(decision, WAIT);
            if (seen < 0) {
                throw new IllegalStateException("decision " + i + " was not observed within " + WAIT);
            }
            if (i >= 0) {
                observed[i] = seen - start;
                submitCall[i] = answered - start;
            }
        }
        return new Timings(observed, submitCall);
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

    /** Nearest-rank percentile (percent 0..100). */
    public static long percentile(long[] values, double percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Nanoseconds as milliseconds rounded to the microsecond. */
    public static double millis(long nanos) {
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
