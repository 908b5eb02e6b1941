package dev.ringfence.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import co.elastic.clients.elasticsearch._types.aggregations.DateHistogramBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.get_index_template.IndexTemplateItem;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.elasticsearch.EmbeddedElasticsearch;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import dev.ringfence.sinks.kibana.SavedObjects;
import dev.ringfence.sinks.template.IndexNames;
import dev.ringfence.sinks.template.IndexTemplates;
import dev.ringfence.sinks.write.DeadLetterPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink job end to end: a real Kafka broker, a real Elasticsearch node, the job on a local Flink cluster.
 * Each test writes records of its own (distinct ids) and checks what a SOC analyst would query.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ElasticsearchSinkIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ContractCodec<Alert> ALERTS = ContractCodec.of(Alert.class);
    private static final ContractCodec<AuditEntry> AUDIT = ContractCodec.of(AuditEntry.class);
    private static final ContractCodec<DeadLetter> DEAD_LETTERS = ContractCodec.of(DeadLetter.class);

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedElasticsearch elasticsearch;
    static ElasticsearchClient client;
    static KafkaProducer<byte[], byte[]> producer;
    static SinkConfig config;
    static RunningSinkJob job;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.launch(dir.resolve("kafka"));
        elasticsearch = EmbeddedElasticsearch.launch(dir.resolve("elasticsearch"));
        ElasticsearchEndpoint endpoint = ElasticsearchEndpoint.anonymous(elasticsearch.httpUrl());
        client = endpoint.client();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
        // checkpoints only when a test asks, so a restart replays exactly what came after the last one
        config = SinkConfig.of(kafka.bootstrapServers(), endpoint, dir.resolve("sink")).withCheckpointInterval(Duration.ofHours(1));
        job = SinkJob.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (job != null) {
                job.close();
            }
            client._transport().close();
            producer.close();
        } finally {
            elasticsearch.close();
            kafka.close();
        }
    }

    @Test
    @Order(1)
    void alertsAndAuditLandAsTypedEcsDocuments() throws Exception {
        send(Topic.ALERTS, Samples.alert("typed-1", 1, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN));
        send(Topic.AUDIT, Samples.ackAudit("typed-audit-1", "typed-decision-1", Samples.FIRST_SEEN, AckOutcome.APPLIED));
        awaitCount("ringfence-alerts-*", term("ringfence.alert.id", "typed-1"), 1);
        awaitCount(IndexNames.AUDIT_PATTERN, term("event.id", "typed-audit-1"), 1);

        var alertFields = client.fieldCaps(f -> f.index("ringfence-alerts-*").fields("*")).fields();
        assertThat(alertFields.get("@timestamp")).containsKey("date");
        assertThat(alertFields.get("source.ip")).containsKey("ip");
        assertThat(alertFields.get("destination.ip")).containsKey("ip");
        assertThat(alertFields.get("threat.technique.id")).containsKey("keyword");
        assertThat(alertFields.get("process.entity_id")).containsKey("keyword");
        assertThat(alertFields.get("process.pid")).containsKey("long");
        assertThat(alertFields.get("ringfence.storyline.steps.time")).containsKey("date_nanos");
        assertThat(alertFields.get("kubernetes.pod.labels")).containsKey("flattened");
        var auditFields = client.fieldCaps(f -> f.index(IndexNames.AUDIT_PATTERN).fields("*")).fields();
        assertThat(auditFields.get("@timestamp")).containsKey("date");
        assertThat(auditFields.get("event.outcome")).containsKey("keyword");
        assertThat(auditFields.get("ringfence.audit.latency_ms")).containsKey("long");

        JsonNode alert = source("ringfence-alerts-*", "typed-1");
        assertThat(alert.at("/event/kind").asText()).isEqualTo("alert");
        assertThat(alert.at("/threat/framework").asText()).isEqualTo("MITRE ATT&CK");
        assertThat(alert.at("/process/parent/executable").asText()).isEqualTo("/bin/sh");
        assertThat(alert.at("/orchestrator/resource/name").asText()).isEqualTo("payments");
        assertThat(alert.at("/ringfence/storyline/steps")).hasSize(3);
        assertThat(client.indices().resolveIndex(r -> r.name(IndexNames.AUDIT_PATTERN)).dataStreams())
                .extracting(stream -> stream.name()).containsExactly("logs-ringfence.audit-default");
    }

    @Test
    @Order(2)
    void templatesInstallIdempotently() throws Exception {
        long before = total("ringfence-alerts-*", Query.of(q -> q.matchAll(m -> m)));
        IndexTemplates.install(client);
        IndexTemplates.install(client);
        List<IndexTemplateItem> templates = client.indices().getIndexTemplate(t -> t.name("ringfence-*")).indexTemplates();
        assertThat(templates).extracting(IndexTemplateItem::name).containsExactlyInAnyOrderElementsOf(IndexTemplates.INDEX_TEMPLATES);
        assertThat(client.cluster().getComponentTemplate(c -> c.name("ringfence-*")).componentTemplates())
                .hasSize(IndexTemplates.COMPONENTS.size());
        var mapping = client.indices().getMapping(m -> m.index("ringfence-alerts-*")).result().values().iterator().next();
        assertThat(mapping.mappings().dynamic().jsonValue()).isEqualTo("strict");
        assertThat(total("ringfence-alerts-*", Query.of(q -> q.matchAll(m -> m)))).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aStorylineIsFoundByAnyExecIdInIt() throws Exception {
        send(Topic.ALERTS, Samples.alert("story-1", 1, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN));
        send(Topic.ALERTS, Samples.alert("story-2", 1, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN));
        awaitCount("ringfence-alerts-*", term("ringfence.alert.id", "story-2"), 1);
        for (String execId : List.of("story-1:java", "story-1:shell", "story-1:nc")) {
            SearchResponse<JsonNode> found = client.search(s -> s.index("ringfence-alerts-*")
                    .query(term("ringfence.storyline.exec_ids", execId)), JsonNode.class);
            assertThat(found.hits().hits()).extracting(Hit::id).containsExactly("story-1");
        }
    }

    @Test
    @Order(4)
    void theDashboardAggregationsReturnTheExpectedBuckets() throws Exception {
        Instant day1 = Instant.parse("2026-10-03T08:00:00Z");
        Instant day2 = Instant.parse("2026-10-04T09:00:00Z");
        List<Alert> alerts = List.of(
                Samples.alert("agg-1", 1, "T1059", Severity.HIGH, "agg-web", day1),
                Samples.alert("agg-2", 1, "T1059", Severity.LOW, "agg-web", day1),
                Samples.alert("agg-3", 1, "T1071", Severity.CRITICAL, "agg-db", day2));
        alerts.forEach(alert -> send(Topic.ALERTS, alert));
        Query october = Query.of(q -> q.prefix(p -> p.field("ringfence.alert.id").value("agg-")));
        awaitCount("ringfence-alerts-*", october, 3);

        SearchResponse<Void> response = client.search(s -> s.index("ringfence-alerts-*").size(0).query(october)
                .aggregations("techniques", a -> a.terms(t -> t.field("threat.technique.id")))
                .aggregations("workloads", a -> a.terms(t -> t.field("orchestrator.resource.name")))
                .aggregations("per_day", a -> a.dateHistogram(h -> h.field("@timestamp").calendarInterval(CalendarInterval.Day))),
                Void.class);
        assertThat(buckets(response, "techniques")).containsExactly(Map.entry("T1059", 2L), Map.entry("T1071", 1L));
        assertThat(buckets(response, "workloads")).containsExactly(Map.entry("agg-web", 2L), Map.entry("agg-db", 1L));
        List<DateHistogramBucket> days = response.aggregations().get("per_day").dateHistogram().buckets().array();
        assertThat(days).extracting(DateHistogramBucket::keyAsString, DateHistogramBucket::docCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-10-03T00:00:00.000Z", 2L),
                        org.assertj.core.groups.Tuple.tuple("2026-10-04T00:00:00.000Z", 1L));
    }

    @Test
    @Order(5)
    void theLatestRevisionReplacesTheAlertAndAnOlderOneNeverComesBack() throws Exception {
        send(Topic.ALERTS, Samples.alert("rev-1", 1, "T1059", Severity.MEDIUM, "payments", Samples.FIRST_SEEN));
        send(Topic.ALERTS, Samples.alert("rev-1", 3, "T1059", Severity.CRITICAL, "payments", Samples.FIRST_SEEN));
        send(Topic.ALERTS, Samples.alert("rev-1", 2, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN));
        send(Topic.ALERTS, Samples.alert("rev-marker", 1, "T1059", Severity.LOW, "payments", Samples.FIRST_SEEN));
        awaitCount("ringfence-alerts-*", term("ringfence.alert.id", "rev-marker"), 1);
        assertThat(total("ringfence-alerts-*", term("ringfence.alert.id", "rev-1"))).isEqualTo(1);
        JsonNode alert = source("ringfence-alerts-*", "rev-1");
        assertThat(alert.at("/ringfence/alert/revision").asLong()).isEqualTo(3);
        assertThat(alert.at("/ringfence/alert/severity").asText()).isEqualTo("CRITICAL");
    }

    @Test
    @Order(6)
    void aServiceEdgeKeepsItsLatestStateAndFeedsTheServiceMap() throws Exception {
        String web = "shop/Deployment/edge-web";
        String db = "shop/Deployment/edge-db";
        send(Topic.SERVICE_GRAPH, Samples.edge(web, db, 5432, 5, Samples.FIRST_SEEN));
        send(Topic.SERVICE_GRAPH, Samples.edge(web, db, 5432, 9, Samples.FIRST_SEEN.plusSeconds(60)));
        send(Topic.SERVICE_GRAPH, Samples.edge(web, db, 5432, 1, Samples.FIRST_SEEN.minusSeconds(60)));
        send(Topic.SERVICE_GRAPH, Samples.edge(web, "shop/Deployment/edge-cache", 6379, 3, Samples.FIRST_SEEN));
        awaitCount(IndexNames.SERVICE_GRAPH_PATTERN, term("ringfence.destination_workload.key", "shop/Deployment/edge-cache"), 1);
        Query fromWeb = term("ringfence.workload.key", web);
        await("the latest state of the web -> db edge", () -> {
            try {
                SearchResponse<JsonNode> edges = client.search(s -> s.index(IndexNames.SERVICE_GRAPH_PATTERN)
                        .query(term("ringfence.destination_workload.key", db)), JsonNode.class);
                return edges.hits().hits().size() == 1
                        && edges.hits().hits().get(0).source().at("/ringfence/edge/connections").asLong() == 9;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(total(IndexNames.SERVICE_GRAPH_PATTERN, fromWeb)).isEqualTo(2);
        var fields = client.fieldCaps(f -> f.index(IndexNames.SERVICE_GRAPH_PATTERN).fields("*")).fields();
        assertThat(fields.get("destination.port")).containsKey("long");
        assertThat(fields.get("network.transport")).containsKey("keyword");
    }

    @Test
    @Order(7)
    void badRecordsGoToTheDeadLetterTopicWithTheReasonAndTheSinkGoesOn() throws Exception {
        Alert badIp = Alert.newBuilder(Samples.alert("dlq-ip", 1, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN))
                .setSource(new dev.ringfence.contract.Endpoint("10.0.0.999", 1)).build();
        Alert badTime = Alert.newBuilder(Samples.alert("dlq-time", 1, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN))
                .setFirstSeenNs(42L).build();
        send(Topic.ALERTS, badIp);
        send(Topic.ALERTS, badTime);
        producer.send(new ProducerRecord<>(Topic.AUDIT.topicName(), "dlq-garbage".getBytes(StandardCharsets.UTF_8),
                "not avro".getBytes(StandardCharsets.UTF_8))).get();
        send(Topic.ALERTS, Samples.alert("dlq-after", 1, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN));
        awaitCount("ringfence-alerts-*", term("ringfence.alert.id", "dlq-after"), 1);

        List<DeadLetter> deadLetters = deadLetters(3);
        assertThat(deadLetters).allSatisfy(letter -> assertThat(letter.getStage()).isEqualTo(DeadLetterPublisher.STAGE));
        assertThat(deadLetters).anySatisfy(letter -> {
            assertThat(letter.getSourceTopic()).isEqualTo(Topic.ALERTS.topicName());
            assertThat(letter.getReason()).contains("dlq-ip").contains("source.ip").contains("10.0.0.999");
            assertThat(ALERTS.decode(bytes(letter.getPayload())).getAlertId()).isEqualTo("dlq-ip");
        });
        assertThat(deadLetters).anySatisfy(letter -> assertThat(letter.getReason()).contains("first_seen_ns = 42"));
        assertThat(deadLetters).anySatisfy(letter -> {
            assertThat(letter.getSourceTopic()).isEqualTo(Topic.AUDIT.topicName());
            assertThat(letter.getReason()).contains("undecodable AuditEntry").contains("not Avro single-object encoding");
            assertThat(new String(bytes(letter.getKey()), StandardCharsets.UTF_8)).isEqualTo("dlq-garbage");
        });
        assertThat(total("ringfence-alerts-*", term("ringfence.alert.id", "dlq-ip"))).isZero();
    }

    @Test
    @Order(8)
    void aRestartFromACheckpointReplaysWithoutDuplicates() throws Exception {
        List<String> before = writeBatch("ckpt-a", 15);
        awaitCount("ringfence-alerts-*", prefix("ringfence.alert.id", "ckpt-a"), 15);
        awaitCount(IndexNames.AUDIT_PATTERN, prefix("event.id", "ckpt-a"), 15);
        job.checkpoint();

        List<String> after = writeBatch("ckpt-b", 15);
        awaitCount("ringfence-alerts-*", prefix("ringfence.alert.id", "ckpt-b"), 15);
        awaitCount(IndexNames.AUDIT_PATTERN, prefix("event.id", "ckpt-b"), 15);
        long seqNoBefore = maxSeqNo(prefix("ringfence.alert.id", "ckpt-b"));

        job.close();
        job = SinkJob.start(config);

        // the restored job reads batch b again (it came after the checkpoint): the alert documents are rewritten
        await("batch b replayed", () -> maxSeqNo(prefix("ringfence.alert.id", "ckpt-b")) > seqNoBefore);
        send(Topic.ALERTS, Samples.alert("ckpt-marker", 1, "T1059", Severity.LOW, "payments", Samples.FIRST_SEEN));
        awaitCount("ringfence-alerts-*", term("ringfence.alert.id", "ckpt-marker"), 1);
        refresh();
        assertThat(total("ringfence-alerts-*", prefix("ringfence.alert.id", "ckpt-"))).isEqualTo(before.size() + after.size() + 1);
        assertThat(total(IndexNames.AUDIT_PATTERN, prefix("event.id", "ckpt-"))).isEqualTo(before.size() + after.size());
    }

    @Test
    @Order(9)
    void whenElasticsearchIsDownTheSinkWaitsAndCatchesUpLosingNothing() throws Exception {
        elasticsearch.stop();
        List<String> written = writeBatch("outage", 10);
        Thread.sleep(Duration.ofSeconds(12));
        elasticsearch.start();
        awaitCount("ringfence-alerts-*", prefix("ringfence.alert.id", "outage"), written.size());
        awaitCount(IndexNames.AUDIT_PATTERN, prefix("event.id", "outage"), written.size());
        refresh();
        assertThat(total("ringfence-alerts-*", prefix("ringfence.alert.id", "outage"))).isEqualTo(written.size());
        assertThat(total(IndexNames.AUDIT_PATTERN, prefix("event.id", "outage"))).isEqualTo(written.size());
    }

    @Test
    @Order(10)
    void everyFieldTheKibanaObjectsUseExistsWithAUsableType() throws Exception {
        List<SavedObjects.FieldUse> uses = SavedObjects.load().fieldUses();
        assertThat(uses).isNotEmpty();
        for (SavedObjects.FieldUse use : uses) {
            var capabilities = client.fieldCaps(f -> f.index(use.indexPattern()).fields(use.field())).fields().get(use.field());
            assertThat(capabilities).as(use.objectId() + " reads " + use.field() + " from " + use.indexPattern()).isNotNull();
            if (!use.allowedTypes().isEmpty()) {
                assertThat(capabilities.keySet()).as(use.objectId() + ": type of " + use.field()).isSubsetOf(use.allowedTypes());
                assertThat(capabilities.values()).as(use.objectId() + ": " + use.field() + " aggregatable")
                        .allSatisfy(capability -> assertThat(capability.aggregatable()).isTrue());
            }
        }
    }

    /** {@code count} alerts and as many audit entries, ids {@code <prefix>-<n>}. */
    private static List<String> writeBatch(String prefix, int count) {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        for (String id : ids) {
            send(Topic.ALERTS, Samples.alert(id, 1, "T1059", Severity.MEDIUM, "payments", Samples.FIRST_SEEN));
            send(Topic.AUDIT, Samples.ackAudit(id, "decision-" + id, Samples.FIRST_SEEN, AckOutcome.APPLIED));
        }
        producer.flush();
        return ids;
    }

    private static <T extends SpecificRecord> void send(Topic topic, T record) {
        @SuppressWarnings("unchecked")
        ContractCodec<T> codec = (ContractCodec<T>) ContractCodec.of(topic.valueType());
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), RecordKeys.keyBytes(record), codec.encode(record))).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic.topicName(), e);
        }
    }

    private static List<DeadLetter> deadLetters(int atLeast) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-check-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.DEAD_LETTER.topicName()));
            List<DeadLetter> letters = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (letters.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(DEAD_LETTERS.decode(record.value()));
                }
            }
            assertThat(letters).hasSizeGreaterThanOrEqualTo(atLeast);
            return letters;
        }
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(FieldValue.of(value))));
    }

    private static Query prefix(String field, String value) {
        return Query.of(q -> q.prefix(p -> p.field(field).value(value)));
    }

    private static long total(String index, Query query) throws Exception {
        return client.count(c -> c.index(index).query(query)).count();
    }

    private static void awaitCount(String index, Query query, long expected) {
        await(expected + " documents in " + index, () -> {
            try {
                return total(index, query) == expected;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private static long maxSeqNo(Query query) {
        try {
            SearchResponse<Void> response = client.search(s -> s.index("ringfence-alerts-*").query(query).seqNoPrimaryTerm(true)
                    .size(100).source(src -> src.fetch(false)), Void.class);
            return response.hits().hits().stream().mapToLong(hit -> hit.seqNo() == null ? -1 : hit.seqNo()).max().orElse(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static JsonNode source(String index, String alertId) throws Exception {
        SearchResponse<JsonNode> response = client.search(s -> s.index(index).query(term("ringfence.alert.id", alertId)), JsonNode.class);
        assertThat(response.hits().hits()).hasSize(1);
        return response.hits().hits().get(0).source();
    }

    private static Map<String, Long> buckets(SearchResponse<Void> response, String name) {
        Map<String, Long> buckets = new java.util.LinkedHashMap<>();
        for (StringTermsBucket bucket : response.aggregations().get(name).sterms().buckets().array()) {
            buckets.put(bucket.key().stringValue(), bucket.docCount());
        }
        return buckets;
    }

    private static void refresh() throws Exception {
        client.indices().refresh(r -> r.index("ringfence-alerts-*", IndexNames.AUDIT_PATTERN));
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
