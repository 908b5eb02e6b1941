package dev.ringfence.sinks.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.core.search.Hit;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.elasticsearch.EmbeddedElasticsearch;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.sinks.RunningSinkJob;
import dev.ringfence.sinks.Samples;
import dev.ringfence.sinks.SinkConfig;
import dev.ringfence.sinks.SinkJob;
import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import dev.ringfence.sinks.template.IndexNames;
import dev.ringfence.sinks.write.BulkIndexer;
import dev.ringfence.sinks.write.DocumentRouter;
import dev.ringfence.sinks.write.KafkaBytes;
import dev.ringfence.sinks.write.PendingDocument;
import dev.ringfence.sinks.write.SinkMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./ringfence bench sink [--json FILE] [--documents N] [--latency-samples N]}: alerts per second from
 * Kafka into the local Elasticsearch node, and the time from an alert's send to its being searchable
 * (p50/p99; target p99 <= 2 s), next to a baseline of the same run: the same documents bulk-written straight
 * to the node. Starts its own Kafka broker, Elasticsearch node and sink job.
 */
public final class SinkBench {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Duration LATENCY_PACING = Duration.ofMillis(100);
    private static final ContractCodec<Alert> ALERTS = ContractCodec.of(Alert.class);

    private SinkBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int documents = Integer.parseInt(options.getOrDefault("--documents", "20000"));
        int latencySamples = Integer.parseInt(options.getOrDefault("--latency-samples", "200"));
        Path dir = Files.createTempDirectory("ringfence-sink-bench");
        try {
            run(dir, documents, latencySamples, options.get("--json"));
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void run(Path dir, int documents, int latencySamples, String jsonFile) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(dir.resolve("kafka"));
             EmbeddedElasticsearch elasticsearch = EmbeddedElasticsearch.launch(dir.resolve("elasticsearch"));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 0),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            ElasticsearchEndpoint endpoint = ElasticsearchEndpoint.anonymous(elasticsearch.httpUrl());
            ElasticsearchClient client = endpoint.client();
            try (RunningSinkJob job = SinkJob.start(SinkConfig.of(kafka.bootstrapServers(), endpoint, dir.resolve("sink")))) {
                send(producer, "warmup", 0);
                awaitSearchable(client, List.of("warmup-0"), new HashMap<>());

                double bulkDocsPerSec = bulkBaseline(client, documents);
                double docsPerSec = throughput(client, producer, documents);
                List<Long> latencies = latencies(client, producer, latencySamples);
                Map<String, Object> results = new LinkedHashMap<>();
                results.put("documents", documents);
                results.put("docs_per_sec", Math.round(docsPerSec));
                results.put("baseline_bulk_docs_per_sec", Math.round(bulkDocsPerSec));
                results.put("docs_per_sec_vs_baseline_ratio", Math.round(docsPerSec / bulkDocsPerSec * 100) / 100.0);
                results.put("latency_samples", latencies.size());
                results.put("alert_searchable_p50_ms", percentile(latencies, 50));
                results.put("alert_searchable_p99_ms", percentile(latencies, 99));
                results.put("alert_searchable_max_ms", latencies.getLast());
                results.put("target_p99_ms", 2000);
                results.put("p99_within_target", percentile(latencies, 99) <= 2000);
                print(results, jsonFile);
            } finally {
                client._transport().close();
            }
        }
    }

    /**
     * The same alerts written straight to the node in bulk requests of the sink's batch size, without Kafka or
     * Flink: what the node alone accepts on this machine now, so the sink's figure reads as a ratio to it.
     */
    private static double bulkBaseline(ElasticsearchClient client, int count) throws InterruptedException {
        DocumentRouter router = new DocumentRouter(new IndexNames(IndexNames.DEFAULT_NAMESPACE));
        List<PendingDocument> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Alert alert = alert("baseline", i);
            documents.add(router.route(new KafkaBytes(Topic.ALERTS.topicName(), 0, i, null, ALERTS.encode(alert))));
        }
        BulkIndexer indexer = new BulkIndexer(client, SinkMetrics.unregistered());
        long start = System.nanoTime();
        for (PendingDocument document : documents) {
            indexer.add(document);
            if (indexer.size() >= SinkConfig.DEFAULT_MAX_BATCH_DOCUMENTS) {
                indexer.flush();
            }
        }
        indexer.flush();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** Sends {@code count} alerts as fast as Kafka takes them; docs/s from the first send to all of them searchable. */
    private static double throughput(ElasticsearchClient client, KafkaProducer<byte[], byte[]> producer, int count) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            send(producer, "throughput", i);
        }
        producer.flush();
        long deadline = start + TIMEOUT.toNanos();
        while (client.count(c -> c.index("ringfence-alerts-*")
                .query(q -> q.prefix(p -> p.field("ringfence.alert.id").value("throughput-")))).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all " + count + " alerts searchable within " + TIMEOUT);
            }
            Thread.sleep(50);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** One alert every 100 ms; a poller notes when each becomes searchable. Returns the latencies, sorted. */
    private static List<Long> latencies(ElasticsearchClient client, KafkaProducer<byte[], byte[]> producer, int samples) throws Exception {
        Map<String, Long> sentAt = Collections.synchronizedMap(new LinkedHashMap<>());
        Thread sender = Thread.ofPlatform().name("bench-sender").start(() -> {
            for (int i = 0; i < samples; i++) {
                sentAt.put("latency-" + i, System.nanoTime());
                send(producer, "latency", i);
                try {
                    Thread.sleep(LATENCY_PACING);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            ids.add("latency-" + i);
        }
        Map<String, Long> seenAt = new HashMap<>();
        awaitSearchable(client, ids, seenAt);
        sender.join();
        return ids.stream().map(id -> (seenAt.get(id) - sentAt.get(id)) / 1_000_000L).sorted().collect(Collectors.toList());
    }

    /** Polls every 20 ms for the ids not yet seen, recording when each first shows up in a search. */
    private static void awaitSearchable(ElasticsearchClient client, List<String> ids, Map<String, Long> seenAt) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seenAt.size() < ids.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException((ids.size() - seenAt.size()) + " alerts not searchable within " + TIMEOUT);
            }
            List<FieldValue> pending = ids.stream().filter(id -> !seenAt.containsKey(id)).limit(1000).map(FieldValue::of).toList();
            try {
                var response = client.search(s -> s.index("ringfence-alerts-*").size(pending.size()).source(src -> src.fetch(false))
                        .query(q -> q.terms(t -> t.field("ringfence.alert.id").terms(v -> v.value(pending)))), Void.class);
                long now = System.nanoTime();
                for (Hit<Void> hit : response.hits().hits()) {
                    seenAt.putIfAbsent(hit.id(), now);
                }
            } catch (IOException | RuntimeException notYet) {
                // the first alert creates the index: until its shard starts, searches fail and we ask again
            }
            Thread.sleep(20);
        }
    }

    private static Alert alert(String prefix, int i) {
        return Samples.alert(prefix + "-" + i, 1, i % 2 == 0 ? "T1059" : "T1071", Severity.HIGH, "bench-" + (i % 20), Instant.now());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String prefix, int i) {
        Alert alert = alert(prefix, i);
        producer.send(new ProducerRecord<>(Topic.ALERTS.topicName(), RecordKeys.keyBytes(alert), ALERTS.encode(alert)));
    }

    private static long percentile(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void print(Map<String, Object> results, String jsonFile) throws Exception {
        results.forEach((key, value) -> System.out.println(key + " = " + value));
        if (jsonFile != null) {
            String json = results.entrySet().stream().map(entry -> "  \"" + entry.getKey() + "\": " + entry.getValue())
                    .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
            Files.writeString(Path.of(jsonFile), json);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!List.of("--json", "--documents", "--latency-samples").contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: SinkBench [--json FILE] [--documents N] [--latency-samples N]");
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }
}
