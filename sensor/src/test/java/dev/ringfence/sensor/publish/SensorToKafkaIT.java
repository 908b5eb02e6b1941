package dev.ringfence.sensor.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.SensorHealth;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent path of `sensor run`: kernel events and health reports on their topics, keyed by node. */
class SensorToKafkaIT {
    private static final ContractCodec<Event> CODEC = ContractCodec.of(Event.class);
    private static final String NODE = "kafka-node";
    private static final List<String> MARKER = List.of("sh", "-c", "exit 4 # kafka-marker");

    @Test
    void eventsGoToTheEventsTopicAndHealthToTheHealthTopic(@TempDir Path dir) {
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(dir.resolve("kafka"));
             TestCgroup cgroup = TestCgroup.create("kafka")) {
            try (Sensor ignored = Sensor.start(SensorConfig.builder()
                    .node(NODE)
                    .watchCgroups(List.of(cgroup.directory()))
                    .healthInterval(Duration.ofMillis(500))
                    .runDirectory(dir.resolve("sensor"))
                    .build(), new KafkaPublisher(kafka.bootstrapServers(), dir.resolve("spool"), 8L << 20))) {
                assertThat(cgroup.run(MARKER)).isEqualTo(4);

                List<ConsumerRecord<byte[], byte[]>> records = consumeUntil(kafka.bootstrapServers(), received ->
                        received.stream().anyMatch(record -> exitOfMarker(received, record))
                                && received.stream().anyMatch(record -> record.topic().equals(Topic.HEALTH.topicName())));

                assertThat(records).allSatisfy(record ->
                        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(NODE));
                assertThat(records).filteredOn(record -> record.topic().equals(Topic.HEALTH.topicName()))
                        .allSatisfy(record -> assertThat(CODEC.decode(record.value()).getPayload()).isInstanceOf(SensorHealth.class));
                assertThat(records).filteredOn(record -> record.topic().equals(Topic.EVENTS.topicName()))
                        .noneSatisfy(record -> assertThat(CODEC.decode(record.value()).getPayload()).isInstanceOf(SensorHealth.class));
            }
        }
    }

    private static boolean exitOfMarker(List<ConsumerRecord<byte[], byte[]>> received, ConsumerRecord<byte[], byte[]> record) {
        if (!(CODEC.decode(record.value()).getPayload() instanceof ProcessExit exit) || exit.getExitCode() != 4) {
            return false;
        }
        return received.stream().map(other -> CODEC.decode(other.value()).getPayload())
                .anyMatch(payload -> payload instanceof ProcessExec exec && exec.getArgv().equals(MARKER)
                        && exec.getExecId().equals(exit.getExecId()));
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeUntil(String bootstrap,
            java.util.function.Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "sensor-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topic.EVENTS.topicName(), Topic.HEALTH.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!done.test(received)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no marker exit and health report on Kafka within 90 s; got " + received.size() + " records");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        return received;
    }
}
