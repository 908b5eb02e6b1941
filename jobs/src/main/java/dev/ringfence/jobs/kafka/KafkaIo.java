package dev.ringfence.jobs.kafka;

import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.jobs.config.KafkaSettings;
import dev.ringfence.jobs.ingest.RawRecord;
import dev.ringfence.jobs.ingest.RawRecordDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** The job's Kafka source (raw event bytes) and sinks (contract records), from one set of settings. */
public final class KafkaIo {
    /** Kafka brokers cap transactions at 15 minutes by default; checkpoints complete well within. */
    private static final String TRANSACTION_TIMEOUT_MS = "600000";
    private static final String METADATA_MAX_IDLE_MS = String.valueOf(24 * 3_600_000);

    private KafkaIo() {}

    public static KafkaSource<RawRecord> eventSource(KafkaSettings kafka) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(Topic.EVENTS.topicName())
                .setGroupId(kafka.groupId)
                .setStartingOffsets(switch (kafka.startingOffsets) {
                    case "earliest" -> OffsetsInitializer.earliest();
                    case "latest" -> OffsetsInitializer.latest();
                    default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                })
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "true")
                // read only what exactly-once producers committed (sensors may write transactionally)
                .setProperty("isolation.level", "read_committed")
                // TLS/SASL from --kafka-config: security keys only, never the ones set above
                .setProperties(kafka.securityProperties())
                .build();
    }

    public static <T extends SpecificRecord> Sink<T> sink(KafkaSettings kafka, Topic topic, Class<T> type) {
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setRecordSerializer(new ContractRecordSerializer<>(topic, type))
                // TLS/SASL from --kafka-config: security keys only, never the ones set here
                .setKafkaProducerConfig(kafka.securityProperties())
                // containment latency: send each record at once
                .setProperty("linger.ms", "0")
                // a topic the producer has not sent to for this long is forgotten, and the next send waits to learn it
                // again: decisions are rare, and each would wait (Kafka's default is 5 minutes)
                .setProperty("metadata.max.idle.ms", METADATA_MAX_IDLE_MS);
        if (kafka.exactlyOnce()) {
            builder.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    .setTransactionalIdPrefix(kafka.transactionalIdPrefix + "-" + topic.topicName())
                    .setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        } else {
            builder.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                    .setProperty("enable.idempotence", "true");
        }
        return new PrimedKafkaSink<>(builder.build(), topic.topicName());
    }
}
