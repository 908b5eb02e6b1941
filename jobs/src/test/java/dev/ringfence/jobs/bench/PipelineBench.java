package dev.ringfence.jobs.bench;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.ServiceEdge;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.jobs.RingfenceJob;
import dev.ringfence.jobs.RunningJob;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.kafka.ContractTopics;
import dev.ringfence.jobs.respond.ResponsePolicy;
import dev.ringfence.jobs.scenario.EventScript;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code ./ringfence bench pipeline [--json FILE] [--events N] [--samples N] [--parallelism N]}: the whole job
 * (lineage + every detector + response) on a MiniCluster against a real broker on this machine.
 * <ol>
 * <li>Throughput: N events of the shop's background mix are loaded into Kafka first; the clock runs from the
 * job reading them to the job having processed the last (a sentinel edge reaches the service-graph topic).
 * The machine is shared (other builds, the broker in its own JVM), so events/s per core is events per CPU-second
 * this process used; wall-clock events/s and the load average are reported next to it, and events/s per core
 * over the last four fifths of the load alone (from sentinels placed a fifth in), after start-up and JIT warm-up.</li>
 * <li>Latency at a trickle (20 events/s of background): every 10th event is an exec of a never-seen binary
 * in the enforced api workload; event-to-decision latency is the time from handing that event to the producer
 * until its KILL_PROCESS decision is readable on the decisions topic. The first 20 decisions are a warm-up,
 * reported apart (the first one and the worst).</li>
 * </ol>
 */
public final class PipelineBench {
    private static final Duration WAIT = Duration.ofMinutes(5);
    /**
     * Decisions before the measured ones: the first ones after a benign stretch run code the throughput phase never
     * ran (the alert and decision paths, the first sends to those topics) and are reported apart.
     */
    private static final int WARMUP_DECISIONS = 20;
    /**
     * Sentinels a fifth into the load: events/s per core is also reported from them to the end, after the job's
     * start-up and the JIT's warm-up (the C2 compiler alone was a fifth of the CPU of a 150,000-event run).
     */
    private static final String WARM_SENTINEL = "bench-warm";
    private static final String END_SENTINEL = "bench-end";

    public static void main(String[] args) throws Exception {
        Path json = null;
        // enough that the timed window (about a minute here) holds the production checkpoints, which come every 30 s
        // at least once: a window shorter than the interval would time the job without their cost
        int events = 2_000_000;
        int samples = 200;
        int parallelism = 1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--json" -> json = Path.of(args[i + 1]);
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: PipelineBench [--json FILE] [--events N] [--samples N] [--parallelism N]");
            }
        }
        Path work = Files.createTempDirectory("pipeline-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(work.resolve("kafka"));
                ContractTopics bulk = new ContractTopics(kafka.bootstrapServers(), 20);
                ContractTopics trickle = new ContractTopics(kafka.bootstrapServers())) {
            ShopCluster shop = new ShopCluster().startup();
            long loadStart = System.nanoTime();
            Loaded loaded = load(shop, bulk, events);
            long endMs = loaded.endMs();
            System.out.printf(Locale.ROOT, "loaded %d events in %.1f s (%d records in the topic)%n", events,
                    (System.nanoTime() - loadStart) / 1e9, bulk.recordCount(Topic.EVENTS));

            JobConfig config = TestConfigs.scenario(kafka.bootstrapServers());
            config.kafka.startingOffsets = "earliest";
            config.pipeline.parallelism = parallelism;
            // the production default of the config's delivery mode (TestConfigs checkpoints every second to keep the
            // restart test short)
            config.pipeline.checkpointIntervalMs = null;
            config.policy = ResponsePolicy.read(Path.of("jobs/examples/response-policy.yaml").toFile().exists()
                    ? Path.of("jobs/examples/response-policy.yaml") : Path.of("examples/response-policy.yaml"));
            try (RunningJob job = RingfenceJob.start(config, work.resolve("flink"))) {
                job.awaitRunning(WAIT);
                long start = System.nanoTime();
                long cpuStart = processCpuNs();
                awaitSentinel(bulk, WARM_SENTINEL);
                long cpuWarm = processCpuNs();
                awaitSentinel(bulk, END_SENTINEL);
                long end = System.nanoTime();
                long cpuEnd = processCpuNs();
                double seconds = (end - start) / 1e9;
                double cpuSeconds = (cpuEnd - cpuStart) / 1e9;
                // the machine is shared: per core = per CPU-second this process (job + bench threads) used
                double perCore = events / cpuSeconds;
                int steadyEvents = events - loaded.beforeWarmSentinel();
                double steadyPerCore = steadyEvents / ((cpuEnd - cpuWarm) / 1e9);
                System.out.printf(Locale.ROOT, "throughput: %d events in %.2f s wall (%.0f events/s), %.2f CPU-s"
                        + " = %.0f events/s per core (parallelism %d, load average %.1f); the last %d of them (after"
                        + " start-up and JIT warm-up): %.0f events/s per core%n", events, seconds, events / seconds,
                        cpuSeconds, perCore, parallelism, loadAverage(), steadyEvents, steadyPerCore);

                Latencies latencies = latencies(shop, trickle, kafka.bootstrapServers(), endMs + 60_000, samples);
                long[] latenciesNs = latencies.toDecisionNs();
                double p50 = percentileMs(latenciesNs, 0.50);
                double p99 = percentileMs(latenciesNs, 0.99);
                double issueP50 = percentileMs(latencies.toIssueNs(), 0.50);
                double issueP99 = percentileMs(latencies.toIssueNs(), 0.99);
                long[] warmupNs = latencies.warmupNs();
                double firstMs = warmupNs.length == 0 ? Double.NaN : warmupNs[0] / 1e6;
                double warmupMaxMs = Arrays.stream(warmupNs).max().orElse(0) / 1e6;
                System.out.printf(Locale.ROOT, "event-to-decision latency at 20 events/s: p50 %.1f ms, p99 %.1f ms"
                        + " (%d decisions after %d warm-up ones: first %.1f ms, worst %.1f ms); event to issued_ns:"
                        + " p50 %.1f ms, p99 %.1f ms%n", p50, p99, latenciesNs.length, warmupNs.length, firstMs,
                        warmupMaxMs, issueP50, issueP99);
                if (json != null) {
                    Files.writeString(json, String.format(Locale.ROOT, "{\"events_per_sec_per_core\": %.0f, "
                            + "\"events_per_sec_wall\": %.0f, \"events_total\": %d, \"throughput_seconds\": %.3f, "
                            + "\"cpu_seconds\": %.3f, \"steady_events_per_sec_per_core\": %.0f, "
                            + "\"parallelism\": %d, \"load_average_1m\": %.2f, "
                            + "\"decision_latency_p50_ms\": %.2f, \"decision_latency_p99_ms\": %.2f, "
                            + "\"decision_latency_samples\": %d, \"event_to_issued_p50_ms\": %.2f, "
                            + "\"event_to_issued_p99_ms\": %.2f, \"first_decision_latency_ms\": %.2f, "
                            + "\"warmup_decision_latency_max_ms\": %.2f}%n", perCore, events / seconds, events,
                            seconds, cpuSeconds, steadyPerCore, parallelism, loadAverage(), p50, p99,
                            latenciesNs.length, issueP50, issueP99, firstMs, warmupMaxMs));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Streams the background mix into Kafka in chunks, with the warm-up sentinels once a fifth of it is sent and the
     * end sentinels after it.
     */
    private static Loaded load(ShopCluster shop, ContractTopics bulk, int events) {
        long fromMs = 3_200;
        int sent = 0;
        int beforeWarmSentinel = -1;
        bulk.send(shop.script.drain());
        while (sent < events) {
            shop.background(fromMs, fromMs + 600_000);
            fromMs += 600_000;
            List<Event> chunk = shop.script.drain();
            List<Event> part = chunk.subList(0, Math.min(chunk.size(), events - sent));
            bulk.send(part);
            sent += part.size();
            if (beforeWarmSentinel < 0 && sent >= events / 5) {
                beforeWarmSentinel = sent;
                shop.sentinels(WARM_SENTINEL, fromMs);
                bulk.send(shop.script.drain());
            }
        }
        shop.sentinels(END_SENTINEL, fromMs);
        bulk.send(shop.script.drain());
        return new Loaded(fromMs, beforeWarmSentinel);
    }

    /** @param endMs the last event time; @param beforeWarmSentinel background events sent before the warm-up sentinels */
    private record Loaded(long endMs, int beforeWarmSentinel) {}

    /** Both nodes' sentinel edges: each node's events up to the sentinels went through the job. */
    private static void awaitSentinel(ContractTopics bulk, String name) {
        for (String node : List.of("node-a", "node-b")) {
            String edge = ShopCluster.sentinelEdge(name, node);
            bulk.awaitFirst(Topic.SERVICE_GRAPH, ServiceEdge.class, e -> e.getEdgeId().equals(edge), WAIT);
        }
    }

    private static Latencies latencies(ShopCluster shop, ContractTopics trickle, String bootstrapServers,
            long fromMs, int samples) throws Exception {
        List<Intrusion> sent = new ArrayList<>();
        Map<String, Long> decidedAt = new ConcurrentHashMap<>();
        Map<String, Long> issuedNs = new ConcurrentHashMap<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> readDecisions(bootstrapServers, decidedAt, issuedNs));
        ContractCodec<Event> codec = ContractCodec.of(Event.class);
        long t = fromMs;
        for (int i = 0; i < (WARMUP_DECISIONS + samples) * 10; i++) {
            t += 50;
            List<Event> next;
            if (i % 10 == 9) {
                Proc intruder = shop.script.exec(shop.api, shop.apiServer, t, "/tmp/stage-" + i);
                next = shop.script.drain();
                sent.add(new Intrusion(intruder.execId(), System.nanoTime(), wallClockNs()));
            } else {
                shop.script.call(shop.frontendApp, shop.apiServer, 8080, t);
                next = shop.script.drain().subList(0, 1);
            }
            for (Event event : next) {
                trickle.sendRaw(dev.ringfence.contract.kafka.RecordKeys.keyBytes(event), codec.encode(event));
            }
            trickle.flush();
            Thread.sleep(50);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!sent.stream().allMatch(i -> decidedAt.containsKey(i.execId())) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        reader.interrupt();
        List<Long> warmup = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        List<Long> toIssue = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Intrusion intrusion = sent.get(i);
            Long decided = decidedAt.get(intrusion.execId());
            if (decided == null) {
                continue;
            }
            if (i < WARMUP_DECISIONS) {
                warmup.add(decided - intrusion.sentNanos());
            } else {
                latencies.add(decided - intrusion.sentNanos());
                toIssue.add(issuedNs.get(intrusion.execId()) - intrusion.sentWallNs());
            }
        }
        int missing = sent.size() - warmup.size() - latencies.size();
        if (missing > 0) {
            System.out.printf("warning: %d of %d decisions did not arrive%n", missing, sent.size());
        }
        return new Latencies(sorted(latencies), sorted(toIssue), warmup.stream().mapToLong(Long::longValue).toArray());
    }

    private record Intrusion(String execId, long sentNanos, long sentWallNs) {}

    /**
     * Event to decision readable, and event to the decision's {@code issued_ns} (the job's wall clock when it
     * decided, millisecond precision): the part spent in the job and its input, apart from the decision's way out.
     * The warm-up decisions come first, in order, and are not in the percentiles.
     */
    private record Latencies(long[] toDecisionNs, long[] toIssueNs, long[] warmupNs) {}

    private static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static long wallClockNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void readDecisions(String bootstrapServers, Map<String, Long> decidedAt,
            Map<String, Long> issuedNs) {
        ContractCodec<Decision> codec = ContractCodec.of(Decision.class);
        // a long poll, as the feedback service reads decisions: the broker answers the parked fetch as soon as a
        // decision is appended; a 1 ms fetch wait instead kept the broker and this JVM busy on the shared 2 cores
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                bootstrapServers, "enable.auto.commit", false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.DECISIONS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (!Thread.currentThread().isInterrupted()) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    long now = System.nanoTime();
                    Decision decision = codec.decode(record.value());
                    if (decision.getTarget().getExecId() != null) {
                        decidedAt.putIfAbsent(decision.getTarget().getExecId(), now);
                        issuedNs.putIfAbsent(decision.getTarget().getExecId(), decision.getIssuedNs());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double percentileMs(long[] sortedNs, double quantile) {
        if (sortedNs.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sortedNs.length) - 1;
        return sortedNs[Math.clamp(index, 0, sortedNs.length - 1)] / 1e6;
    }
}
