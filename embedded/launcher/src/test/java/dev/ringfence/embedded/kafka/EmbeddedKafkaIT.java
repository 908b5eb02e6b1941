package dev.ringfence.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.RandomRecords;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract travels through a real broker: every topic, every record type, keys as documented. */
class EmbeddedKafkaIT {
    private static final int RECORDS_PER_TOPIC = 25;

    @TempDir
    static Path dataDir;

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.launch(dataDir);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void everyContractTopicExistsWithItsCleanupPolicy() throws Exception {
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get())
                    .containsAll(List.of(Topic.values()).stream().map(Topic::topicName).toList());
            ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, Topic.ALERTS.topicName());
            ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, Topic.EVENTS.topicName());
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(alerts, events)).all().get();
            assertThat(configs.get(alerts).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(events).get("cleanup.policy").value()).isEqualTo("delete");
        }
    }

    @Test
    void everyRecordTypeRoundTripsThroughItsTopic() {
        for (Topic topic : Topic.values()) {
            roundTrip(topic, topic.valueType());
        }
    }

    @Test
    void recordsSurviveABrokerRestartOnTheSamePort() {
        String before = kafka.bootstrapServers();
        List<SpecificRecord> sent = produce(Topic.DECISION_ACKS, 5, 99);
        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.start();
        assertThat(kafka.bootstrapServers()).isEqualTo(before);
        List<ConsumerRecord<byte[], byte[]>> all = consumeAll(Topic.DECISION_ACKS);
        ContractCodec<? extends SpecificRecord> codec = ContractCodec.of(Topic.DECISION_ACKS.valueType());
        List<Object> decoded = all.stream().map(r -> (Object) codec.decode(r.value())).toList();
        assertThat(decoded).containsAll(sent);
    }

    private <T extends SpecificRecord> void roundTrip(Topic topic, Class<T> type) {
        List<SpecificRecord> sent = produce(topic, RECORDS_PER_TOPIC, topic.ordinal());
        ContractCodec<T> codec = ContractCodec.of(type);
        List<ConsumerRecord<byte[], byte[]>> received = consumeAll(topic);
        List<T> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : received) {
            T value = codec.decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(RecordKeys.keyOf(value));
            decoded.add(value);
        }
        assertThat(decoded).as(topic.topicName()).containsAll(sent.stream().map(type::cast).toList());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<SpecificRecord> produce(Topic topic, int count, long seed) {
        RandomRecords random = new RandomRecords(seed);
        ContractCodec codec = ContractCodec.of(topic.valueType());
        List<SpecificRecord> sent = new ArrayList<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                SpecificRecord record = random.next(topic.valueType());
                producer.send(new ProducerRecord<>(topic.topicName(), RecordKeys.keyBytes(record), codec.encode(record)));
                sent.add(record);
            }
            producer.flush();
        }
        return sent;
    }

    private List<ConsumerRecord<byte[], byte[]>> consumeAll(Topic topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reachedEnd(consumer, end.entrySet()) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Collection<Map.Entry<TopicPartition, Long>> ends) {
        return ends.stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
