package dev.ringfence.feedback.kafka;

import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.feedback.audit.AuditTrail;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit entries to {@link Topic#AUDIT}, dead letters to {@link Topic#DEAD_LETTER}. Idempotent
 * producer with acks=all; the producer retries on its own, and a write it finally gives up on is
 * logged with the whole entry and counted, so nothing disappears silently.
 */
public final class KafkaAuditTrail implements AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditTrail.class);
    private static final ContractCodec<AuditEntry> AUDIT = ContractCodec.of(AuditEntry.class);
    private static final ContractCodec<DeadLetter> DEAD_LETTERS = ContractCodec.of(DeadLetter.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong lost = new AtomicLong();
    private final boolean auditTopicKnown;

    public KafkaAuditTrail(String bootstrapServers) {
        this(bootstrapServers, KafkaClientSecurity.NONE);
    }

    public KafkaAuditTrail(String bootstrapServers, KafkaClientSecurity security) {
        this.producer = new KafkaProducer<>(producerConfig(bootstrapServers, security),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.auditTopicKnown = learnAuditTopic();
    }

    /**
     * Connects and learns where the audit topic lives now: the first send() to a topic waits for that round trip,
     * and each decision is audited before it is routed, so the first containment after a start waited behind it
     * (96 ms of the demo's first kill). A broker that is down now costs up to max.block.ms here, once.
     */
    private boolean learnAuditTopic() {
        try {
            producer.partitionsFor(Topic.AUDIT.topicName());
            return true;
        } catch (KafkaException e) {
            LOG.warn("event=audit_topic_unknown topic={} reason=\"{}\" effect=\"the first audit write waits for it\"",
                    Topic.AUDIT.topicName(), e.getMessage());
            return false;
        }
    }

    /** Whether the audit topic's partitions were known when this trail started (the broker answered). */
    public boolean auditTopicKnown() {
        return auditTopicKnown;
    }

    static Map<String, Object> producerConfig(String bootstrapServers, KafkaClientSecurity security) {
        return security.applyTo(new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // the decision loop calls send(): never let a broker outage stall it for long
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
                // learnt at start, and not forgotten after Kafka's default 5 idle minutes: decisions are rare, and the
                // first one after a quiet spell would wait again for the round trip learnAuditTopic() saves
                ProducerConfig.METADATA_MAX_IDLE_CONFIG, 24 * 3_600_000,
                ProducerConfig.CLIENT_ID_CONFIG, "ringfence-enforcement-feedback-audit")));
    }

    @Override
    public void write(AuditEntry entry) {
        send(Topic.AUDIT, entry, AUDIT.encode(entry));
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        send(Topic.DEAD_LETTER, letter, DEAD_LETTERS.encode(letter));
    }

    /** Writes the producer gave up on. */
    public long lost() {
        return lost.get();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }

    private void send(Topic topic, SpecificRecord record, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), RecordKeys.keyBytes(record), value), (metadata, failure) -> {
                if (failure != null) {
                    giveUp(topic, record, failure);
                }
            });
        } catch (KafkaException e) {
            giveUp(topic, record, e);
        }
    }

    private void giveUp(Topic topic, SpecificRecord record, Exception failure) {
        lost.incrementAndGet();
        LOG.error("event=audit_write_lost topic={} reason=\"{}\" record={}", topic.topicName(), failure.getMessage(), record);
    }
}
