package dev.ringfence.allinone.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor under every containment in the all-in-one: one record from a producer to a consumer through the stack's
 * own broker, timed one at a time on a scratch topic (linger 0, acks=all, as the stages send). A kill or a block
 * crosses two such hops (the sensor's event to the job, the job's decision to the feedback service).
 */
final class KafkaHop {
    private static final int RECORD_BYTES = 300;
    private static final Duration PACE = Duration.ofMillis(20);

    private KafkaHop() {}

    /** Milliseconds per hop of {@code hops} records, after {@code warmup} untimed ones. */
    static List<Double> measure(String bootstrap, int warmup, int hops) throws Exception {
        String topic = "ringfence.bench.hop-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            try {
                return time(bootstrap, topic, warmup, hops);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get();
            }
        }
    }

    private static List<Double> time(String bootstrap, String topic, int warmup, int hops) throws InterruptedException {
        List<Double> millis = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.ACKS_CONFIG, "all"),
                     new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            for (int i = 0; i < warmup + hops; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, new byte[RECORD_BYTES]));
                long deadline = sent + Duration.ofSeconds(10).toNanos();
                while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("a record sent to " + topic + " was not read back within 10 s");
                    }
                }
                if (i >= warmup) {
                    millis.add((System.nanoTime() - sent) / 1e6);
                }
                Thread.sleep(PACE);
            }
        }
        return millis;
    }
}
