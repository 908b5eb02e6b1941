package dev.ringfence.jobs.kafka;

import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A contract record -> its topic, keyed as {@link RecordKeys} says, valued in single-object encoding. */
final class ContractRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Topic topic;
    private final Class<T> type;
    private transient ContractCodec<T> codec;

    ContractRecordSerializer(Topic topic, Class<T> type) {
        if (topic.valueType() != type) {
            throw new IllegalArgumentException(topic.topicName() + " carries " + topic.valueType().getSimpleName()
                    + ", not " + type.getSimpleName());
        }
        this.topic = topic;
        this.type = type;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        FastCoding.enable();
        codec = ContractCodec.of(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic.topicName(), RecordKeys.keyBytes(record), codec.encode(record));
    }
}
