package dev.ringfence.allinone.live;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import dev.ringfence.contract.kafka.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pipeline's topics from their current end (the live view shows what happens from now on), with no
 * consumer group: watching commits nothing and takes nothing from the stages' own consumers.
 */
public final class TopicReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final Set<Topic> READ = EnumSet.of(Topic.EVENTS, Topic.HEALTH, Topic.ALERTS, Topic.DECISIONS, Topic.AUDIT);
    private static final ContractCodec<Event> EVENTS = ContractCodec.of(Event.class);
    private static final ContractCodec<Alert> ALERTS = ContractCodec.of(Alert.class);
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);
    private static final ContractCodec<AuditEntry> AUDIT = ContractCodec.of(AuditEntry.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<RecordHandler> handlers;
    private final AtomicLong undecodable = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private TopicReader(KafkaConsumer<byte[], byte[]> consumer, List<RecordHandler> handlers) {
        this.consumer = consumer;
        this.handlers = List.copyOf(handlers);
        this.thread = Thread.ofPlatform().name("live-topics").daemon().start(this::loop);
    }

    /** Returns once the reading positions are fixed: every record produced after this is seen. */
    public static TopicReader start(String bootstrap, List<RecordHandler> handlers) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "ringfence-up-live",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic topic : READ) {
                for (PartitionInfo info : consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(partition -> consumer.position(partition, Duration.ofSeconds(30)));
            return new TopicReader(consumer, handlers);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Records on these topics that were not the contract's bytes (each is logged). */
    public long undecodable() {
        return undecodable.get();
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    dispatch(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("live view stopped reading the topics: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone of a compacted topic: a deletion, not a record
        }
        try {
            switch (Topic.byName(record.topic())) {
                case EVENTS, HEALTH -> {
                    Event event = EVENTS.decode(record.value());
                    handlers.forEach(handler -> handler.event(event));
                }
                case ALERTS -> {
                    Alert alert = ALERTS.decode(record.value());
                    handlers.forEach(handler -> handler.alert(alert));
                }
                case DECISIONS -> {
                    Decision decision = DECISIONS.decode(record.value());
                    handlers.forEach(handler -> handler.decision(decision));
                }
                case AUDIT -> {
                    AuditEntry entry = AUDIT.decode(record.value());
                    handlers.forEach(handler -> handler.audit(entry));
                }
                default -> throw new IllegalStateException("not subscribed to " + record.topic());
            }
        } catch (ContractDecodingException e) {
            undecodable.incrementAndGet();
            LOG.warn("live view skipped an undecodable record topic={} partition={} offset={} reason={}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
