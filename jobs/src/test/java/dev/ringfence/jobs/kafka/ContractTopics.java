package dev.ringfence.jobs.kafka;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes events as sensors do and reads the job's output topics (committed records only), for tests and benches. */
public final class ContractTopics implements AutoCloseable {
    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ContractCodec<Event> events = ContractCodec.of(Event.class);
    private final java.util.concurrent.atomic.AtomicReference<Exception> failure =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** Sends each event at once (latency). */
    public ContractTopics(String bootstrapServers) {
        this(bootstrapServers, 0);
    }

    /** {@code lingerMs} > 0 batches sends (bulk loading). */
    public ContractTopics(String bootstrapServers, int lingerMs) {
        this.bootstrapServers = bootstrapServers;
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "linger.ms", lingerMs,
                "acks", "all", "batch.size", 262_144), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(List<Event> batch) {
        for (Event event : batch) {
            sendRaw(RecordKeys.keyBytes(event), events.encode(event));
        }
        flush();
    }

    public void sendRaw(byte[] key, byte[] value) {
        producer.send(new ProducerRecord<>(Topic.EVENTS.topicName(), key, value), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
    }

    /** Waits until everything sent is acknowledged; a send the broker refused fails the caller here. */
    public void flush() {
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("an event was not accepted by Kafka", error);
        }
    }

    /** How many records the topic holds (sum of end offsets). */
    public long recordCount(Topic topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every committed record of the topic so far, decoded. */
    public <T extends SpecificRecord> List<T> readAll(Topic topic, Class<T> type) {
        ContractCodec<T> codec = ContractCodec.of(type);
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(codec.decode(record.value()));
                }
            }
        }
        return records;
    }

    /** Polls the topic until the records satisfy {@code done}, or fails after the timeout with what was read. */
    public <T extends SpecificRecord> List<T> await(Topic topic, Class<T> type, Predicate<List<T>> done,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> records = readAll(topic, type);
        while (!done.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting on " + topic.topicName() + " after " + timeout
                        + "; read " + records.size() + " records: " + records);
            }
            Thread.sleep(200);
            records = readAll(topic, type);
        }
        return records;
    }

    /**
     * Reads the topic as it grows with one consumer until a record matches, or fails after the timeout. Cheaper than
     * {@link #await} on a long topic: each record is read once (a benchmark's clock runs while it waits).
     */
    public <T extends SpecificRecord> T awaitFirst(Topic topic, Class<T> type, Predicate<T> match, Duration timeout) {
        ContractCodec<T> codec = ContractCodec.of(type);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    read++;
                    T decoded = codec.decode(record.value());
                    if (match.test(decoded)) {
                        return decoded;
                    }
                }
            }
            throw new AssertionError("gave up waiting on " + topic.topicName() + " after " + timeout + "; read "
                    + read + " records, none matched");
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Topic topic) {
        return consumer.partitionsFor(topic.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("isolation.level", "read_committed");
        properties.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        producer.close();
    }
}
