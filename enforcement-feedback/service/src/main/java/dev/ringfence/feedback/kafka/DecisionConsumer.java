package dev.ringfence.feedback.kafka;

import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.feedback.audit.AuditTrail;
import dev.ringfence.feedback.audit.EpochNanos;
import dev.ringfence.feedback.intake.DecisionIntake;
import dev.ringfence.feedback.intake.IntakeResult;
import dev.ringfence.feedback.intake.Submitter;
import dev.ringfence.feedback.metrics.FeedbackMetrics;
import dev.ringfence.feedback.route.DecisionLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link Topic#DECISIONS} (written by the detection jobs) into the same intake as the API.
 * Offsets are committed, asynchronously, after a batch went through the intake: a crash re-reads what
 * was not committed yet, and the idempotent decision ids turn the re-read into duplicates. Bytes that
 * are not a Decision go to {@link Topic#DEAD_LETTER} with the reason.
 */
public final class DecisionConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionConsumer.class);
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final DecisionLoop loop;
    private final DecisionIntake intake;
    private final AuditTrail audit;
    private final FeedbackMetrics metrics;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    public DecisionConsumer(String bootstrapServers, KafkaClientSecurity security, String groupId, DecisionLoop loop,
                            DecisionIntake intake, AuditTrail audit, FeedbackMetrics metrics, Clock clock) {
        this.consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, security, groupId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.loop = loop;
        this.intake = intake;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.thread = new Thread(this::run, "feedback-kafka-decisions");
        this.thread.setDaemon(true);
    }

    static Map<String, Object> consumerConfig(String bootstrapServers, KafkaClientSecurity security, String groupId) {
        return security.applyTo(new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a first start must see decisions written before it; stale ones are refused as expired
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, "ringfence-enforcement-feedback-decisions")));
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topic.DECISIONS.topicName()));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    take(record);
                }
                if (!records.isEmpty()) {
                    // not commitSync: a decision arriving meanwhile would wait for the commit's round trip
                    consumer.commitAsync((offsets, failure) -> {
                        if (failure != null) {
                            LOG.warn("event=decision_offsets_not_committed offsets={} reason=\"{}\"", offsets, failure.getMessage());
                        }
                    });
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } catch (RuntimeException e) {
            LOG.error("event=decision_consumer_failed", e);
        } finally {
            commitBeforeClosing();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** A later asynchronous commit may not have completed: the last positions are committed before leaving. */
    private void commitBeforeClosing() {
        try {
            consumer.commitSync(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("event=decision_offsets_not_committed reason=\"{}\" effect=\"the next start re-reads them as duplicates\"",
                    e.getMessage());
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        Decision decision;
        try {
            decision = DECISIONS.decode(record.value());
        } catch (ContractDecodingException e) {
            metrics.undecodable("kafka");
            DeadLetter letter = AuditTrail.deadLetter(clock, "kafka-decisions", e.getMessage(), record.key(), record.value());
            letter.setSourceTopic(record.topic());
            letter.setSourcePartition(record.partition());
            letter.setSourceOffset(record.offset());
            audit.deadLetter(letter);
            return;
        }
        metrics.decisionAge("kafka", EpochNanos.now(clock) - decision.getIssuedNs());
        IntakeResult result = loop.call("intake-kafka", () -> intake.submit(decision, Submitter.kafka(record.topic(), record.partition(), record.offset())));
        LOG.debug("event=decision_from_kafka decision_id={} outcome={} reason=\"{}\"", result.decisionId(), result.outcome(), result.reason());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
