package dev.ringfence.sinks.write;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps every record, whatever its bytes: the sink decides what is valid and dead-letters the rest. */
public final class KafkaBytesDeserializer implements KafkaRecordDeserializationSchema<KafkaBytes> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaBytes> out) {
        out.collect(new KafkaBytes(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
    }

    @Override
    public TypeInformation<KafkaBytes> getProducedType() {
        return TypeInformation.of(KafkaBytes.class);
    }
}
