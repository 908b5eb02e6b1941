package dev.ringfence.sensor.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.RandomRecords;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real broker stops and starts again: nothing published meanwhile is lost, and order is kept. */
class SpoolReplayIT {
    private static final String NODE = "spool-node";
    private static final ContractCodec<Event> CODEC = ContractCodec.of(Event.class);

    private final RandomRecords random = new RandomRecords(42);
    private long seq;

    @Test
    void eventsPublishedWhileTheBrokerIsDownAreSpooledAndReplayedInOrder(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(dir.resolve("kafka"))) {
            KafkaPublisher publisher = new KafkaPublisher(kafka.bootstrapServers(), dir.resolve("spool"), 8L << 20);
            try {
                publish(publisher, 50, Duration.ZERO);
                assertThat(probeThreads()).as("no broker probe while Kafka takes every record").isZero();
                kafka.stop();
                // keep publishing through the outage, long enough for the producer to give up on the broker
                publish(publisher, 120, Duration.ofMillis(60));
                assertThat(publisher.spoolPending()).as("events spooled while the broker is down").isPositive();
                kafka.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (publisher.spoolPending() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(publisher.spoolPending()).as("spool drained after the broker came back").isZero();
                long probeDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (probeThreads() > 0 && System.nanoTime() < probeDeadline) {
                    Thread.sleep(200);
                }
                assertThat(probeThreads()).as("the broker probe is closed once the spool drained").isZero();
                publish(publisher, 30, Duration.ZERO);
            } finally {
                publisher.close();
            }
            assertThat(publisher.spoolDropped()).isZero();

            List<Long> received = consumeSequences(kafka.bootstrapServers(), seq);
            Set<Long> firstSeen = new LinkedHashSet<>(received);
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < seq; i++) {
                expected.add(i);
            }
            assertThat(new ArrayList<>(firstSeen)).isEqualTo(expected);
        }
    }

    private static long probeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().contains(KafkaPublisher.PROBE_CLIENT_ID)).count();
    }

    private void publish(KafkaPublisher publisher, int count, Duration pause) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            publisher.accept(new Event(NODE, System.currentTimeMillis() * 1_000_000L, seq++, random.next(ProcessExit.class)));
            Thread.sleep(pause.toMillis());
        }
    }

    private static List<Long> consumeSequences(String bootstrap, long expected) {
        List<Long> sequences = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "spool-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.EVENTS.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (new LinkedHashSet<>(sequences).size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(NODE);
                    sequences.add(CODEC.decode(record.value()).getSeq());
                }
            }
        }
        return sequences;
    }
}
