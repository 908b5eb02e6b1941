package dev.ringfence.sinks.write;

import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes rejected records to {@link Topic#DEAD_LETTER} with the reason and their coordinates. {@link #flush()}
 * runs before every checkpoint and fails if a send failed, so the checkpoint (and the Kafka offsets it
 * commits) never covers a record that is neither in Elasticsearch nor in the dead-letter topic.
 */
public final class DeadLetterPublisher implements AutoCloseable {
    public static final String STAGE = "sinks/elasticsearch";

    private final ContractCodec<DeadLetter> codec = ContractCodec.of(DeadLetter.class);
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public DeadLetterPublisher(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** {@code security}: the validated settings of {@code --kafka-config} (KafkaClientSecurity#settings). */
    public DeadLetterPublisher(String bootstrapServers, Map<String, String> security) {
        producer = new KafkaProducer<>(producerConfig(bootstrapServers, security), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, String> security) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "ringfence-sinks-dead-letter"));
        security.forEach(config::putIfAbsent);
        return config;
    }

    public void publish(Rejection rejection) {
        KafkaBytes origin = rejection.origin();
        DeadLetter deadLetter = DeadLetter.newBuilder()
                .setTimeNs(nowNanos())
                .setStage(STAGE)
                .setReason(rejection.reason())
                .setSourceTopic(origin.topic)
                .setSourcePartition(origin.partition)
                .setSourceOffset(origin.offset)
                .setKey(origin.key == null ? null : ByteBuffer.wrap(origin.key))
                .setPayload(ByteBuffer.wrap(origin.value == null ? new byte[0] : origin.value))
                .build();
        producer.send(new ProducerRecord<>(Topic.DEAD_LETTER.topicName(), RecordKeys.keyBytes(deadLetter), codec.encode(deadLetter)),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    /** Waits until every dead letter is acknowledged by Kafka; throws if one was lost. */
    public void flush() {
        producer.flush();
        Exception error = failure.getAndSet(null);
        if (error != null) {
            throw new IllegalStateException("a dead letter could not be written to " + Topic.DEAD_LETTER.topicName(), error);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
