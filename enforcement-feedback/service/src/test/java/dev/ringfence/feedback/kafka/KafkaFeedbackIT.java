package dev.ringfence.feedback.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.server.FeedbackService;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.TestPki;
import dev.ringfence.feedback.testing.TestSensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real broker: decisions from the decisions topic reach the node's sensor, and every step lands on the audit topic. */
class KafkaFeedbackIT {
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);
    private static final ContractCodec<AuditEntry> AUDIT = ContractCodec.of(AuditEntry.class);
    private static final ContractCodec<DeadLetter> DEAD_LETTERS = ContractCodec.of(DeadLetter.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static TestPki pki;
    static FeedbackService service;
    static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.launch(dir.resolve("kafka"));
        pki = new TestPki(dir.resolve("ca"));
        service = FeedbackService.start(pki.config().kafka(kafka.bootstrapServers()).build());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        service.close();
        kafka.close();
    }

    @Test
    void theAuditTrailKnowsItsTopicBeforeTheFirstDecision() {
        try (KafkaAuditTrail reachable = new KafkaAuditTrail(kafka.bootstrapServers());
                KafkaAuditTrail unreachable = new KafkaAuditTrail("127.0.0.1:1")) {
            assertThat(reachable.auditTopicKnown()).isTrue();
            // a broker that is down does not keep the service from starting; the first write waits instead
            assertThat(unreachable.auditTopicKnown()).isFalse();
        }
    }

    @Test
    void aDecisionFromTheTopicIsRoutedAckedAndAudited() throws Exception {
        Decision isolate = Decisions.isolate("jobs/detect", "node-a", "shop", "cart", Duration.ofMinutes(10)).build();
        try (TestSensor a = TestSensor.connect(service.port(), pki.nodeA, AckOutcome.APPLIED)) {
            publish(DECISIONS.encode(isolate), RecordKeys.keyBytes(isolate));
            assertThat(a.next().getDecisionId()).isEqualTo(isolate.getDecisionId());
            List<AuditEntry> trail = awaitAudit(isolate.getDecisionId(), entries -> entries.stream().anyMatch(e -> e.getKind() == AuditKind.ACK_RECEIVED));
            assertThat(trail).extracting(AuditEntry::getKind)
                    .containsExactly(AuditKind.DECISION_RECEIVED, AuditKind.DECISION_DELIVERED, AuditKind.ACK_RECEIVED);
            assertThat(trail.getFirst().getDecision()).isEqualTo(isolate);
            assertThat(trail.getFirst().getActor()).startsWith("kafka://ringfence.decisions/");
            AuditEntry ack = trail.getLast();
            assertThat(ack.getActor()).isEqualTo("ringfence://node/node-a");
            assertThat(ack.getAck().getOutcome()).isEqualTo(AckOutcome.APPLIED);
            assertThat(ack.getLatencyMs()).isNotNull().isNotNegative();
        }
    }

    @Test
    void expiredAndReplayedDecisionsFromTheTopicAreRefusedAndAudited() throws Exception {
        long now = Decisions.nowNs();
        Decision stale = Decisions.kill("jobs/detect", "node-b", 4242).setIssuedNs(now - 60_000_000_000L).setExpiresNs(now - 1).build();
        Decision original = Decisions.kill("jobs/detect", "node-b", 4343).build();
        Decision replay = Decision.newBuilder(original).build();
        replay.getTarget().setExecId("node-b:4444:1");
        publish(DECISIONS.encode(stale), RecordKeys.keyBytes(stale));
        publish(DECISIONS.encode(original), RecordKeys.keyBytes(original));
        publish(DECISIONS.encode(replay), RecordKeys.keyBytes(replay));

        List<AuditEntry> staleTrail = awaitAudit(stale.getDecisionId(), entries -> !entries.isEmpty());
        assertThat(staleTrail).singleElement().satisfies(entry -> {
            assertThat(entry.getKind()).isEqualTo(AuditKind.DECISION_EXPIRED);
            assertThat(entry.getReason()).startsWith("expired");
        });
        // the age is taken when the decision is read, before anything refuses it
        assertThat(service.metrics().decisionsAgedAtLeast("kafka", 30)).isEqualTo(1);
        List<AuditEntry> replayTrail = awaitAudit(original.getDecisionId(),
                entries -> entries.stream().anyMatch(e -> e.getKind() == AuditKind.DECISION_REFUSED));
        assertThat(replayTrail).extracting(AuditEntry::getKind).containsExactly(AuditKind.DECISION_RECEIVED, AuditKind.DECISION_REFUSED);
        assertThat(replayTrail.getLast().getReason()).startsWith("replay");
        assertThat(replayTrail.getLast().getDecision()).isEqualTo(replay);
    }

    @Test
    void aDecisionSignedWithAnUnknownKeyIsRefusedAsForgedAndAudited() throws Exception {
        Decision forged = Decisions.kill("jobs/detect", "node-a", 6666).setSigningKeyId("jobs/detect")
                .setSignature(java.nio.ByteBuffer.wrap(new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01})).build();
        publish(DECISIONS.encode(forged), RecordKeys.keyBytes(forged));
        List<AuditEntry> trail = awaitAudit(forged.getDecisionId(), entries -> !entries.isEmpty());
        assertThat(trail).singleElement().satisfies(entry -> {
            assertThat(entry.getKind()).isEqualTo(AuditKind.DECISION_REFUSED);
            assertThat(entry.getReason()).startsWith("forged: signed by unknown issuer 'jobs/detect'");
        });
    }

    @Test
    void bytesThatAreNotADecisionGoToTheDeadLetterTopicWithTheReason() throws Exception {
        byte[] garbage = "kill everything".getBytes(StandardCharsets.UTF_8);
        publish(garbage, "node-a".getBytes(StandardCharsets.UTF_8));
        List<DeadLetter> letters = awaitRecords(Topic.DEAD_LETTER, DEAD_LETTERS,
                letter -> letter.getPayload().equals(java.nio.ByteBuffer.wrap(garbage)));
        DeadLetter letter = letters.getFirst();
        assertThat(letter.getStage()).isEqualTo("enforcement-feedback/kafka-decisions");
        assertThat(letter.getReason()).contains("not Avro single-object encoding");
        assertThat(letter.getSourceTopic()).isEqualTo(Topic.DECISIONS.topicName());
        assertThat(letter.getSourceOffset()).isNotNull();
    }

    @Test
    void decisionsSubmittedThroughTheApiAreAuditedWithTheIssuer() throws Exception {
        Decision kill = Decisions.kill("ops", "node-b", 5555).build();
        try (EnforcementClient ops = EnforcementClient.connect("localhost:" + service.port(), pki.ops.tls())) {
            ops.submit(kill);
        }
        List<AuditEntry> trail = awaitAudit(kill.getDecisionId(), entries -> !entries.isEmpty());
        assertThat(trail.getFirst().getKind()).isEqualTo(AuditKind.DECISION_RECEIVED);
        assertThat(trail.getFirst().getActor()).isEqualTo("ringfence://issuer/ops");
        assertThat(trail.getFirst().getReason()).isNull();
    }

    private static void publish(byte[] value, byte[] key) throws Exception {
        producer.send(new ProducerRecord<>(Topic.DECISIONS.topicName(), key, value)).get();
    }

    private static List<AuditEntry> awaitAudit(String decisionId, Predicate<List<AuditEntry>> complete) {
        return awaitRecords(Topic.AUDIT, AUDIT, entry -> entry.getDecisionId().equals(decisionId), complete);
    }

    private static <T extends SpecificRecord> List<T> awaitRecords(Topic topic, ContractCodec<T> codec, Predicate<T> wanted) {
        return awaitRecords(topic, codec, wanted, found -> !found.isEmpty());
    }

    /** Reads the topic from the start until the records it keeps satisfy {@code complete}. */
    private static <T extends SpecificRecord> List<T> awaitRecords(Topic topic, ContractCodec<T> codec, Predicate<T> wanted,
                                                                   Predicate<List<T>> complete) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<T> found = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!complete.test(found) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    T value = codec.decode(record.value());
                    if (wanted.test(value)) {
                        found.add(value);
                    }
                }
            }
            assertThat(complete.test(found)).as("records on " + topic.topicName() + " within " + WAIT + ": " + found).isTrue();
            return found;
        }
    }
}
