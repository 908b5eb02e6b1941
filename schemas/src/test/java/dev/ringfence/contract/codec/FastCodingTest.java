package dev.ringfence.contract.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.kafka.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.FastReaderBuilder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FastCodingTest {

    @Test
    void everyContractRecordClassCodesFast() {
        FastCoding.enable();
        List<Class<?>> records = FastCoding.recordClasses();
        for (Class<?> type : records) {
            SpecificData model = SpecificData.getForClass(type);
            assertThat(model.isFastReaderEnabled()).as(type.getName()).isTrue();
            assertThat(model.useCustomCoders()).as(type.getName()).isTrue();
        }
        assertThat(records).hasSizeGreaterThan(20);
    }

    /**
     * The plan a class's own serializer will look up (cached per schema object pair in the model's reader builder) is
     * there before the first record. Read through reflection: Avro keeps the cache private, and a plan built for
     * another schema object than the class's own would silently leave the first record to build it again.
     */
    @Test
    void everyContractRecordClassHasItsReadingPlanBeforeTheFirstRecord() throws ReflectiveOperationException {
        FastCoding.enable();
        Field cache = FastReaderBuilder.class.getDeclaredField("readerCache");
        cache.setAccessible(true);
        for (Class<?> type : FastCoding.recordClasses()) {
            SpecificData model = SpecificData.getForClass(type);
            Schema own = model.getSchema(type);
            Map<?, ?> plans = (Map<?, ?>) cache.get(model.getFastReaderBuilder());
            assertThat(plans.get(own)).as(type.getName()).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) plans.get(own)).get(own)).as(type.getName()).isNotNull();
        }
    }

    /** What a Flink AvroSerializer does with a class's own model: the fast paths must read back what they wrote. */
    @ParameterizedTest
    @EnumSource(Topic.class)
    void theFastPathsRoundTripEveryTopicRecord(Topic topic) throws IOException {
        FastCoding.enable();
        roundTrip(topic.valueType(), 100 + topic.ordinal());
    }

    private static <T extends SpecificRecord> void roundTrip(Class<T> type, long seed) throws IOException {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        var writer = new SpecificDatumWriter<T>(schema, model);
        var reader = new SpecificDatumReader<T>(schema, schema, model);
        RandomRecords random = new RandomRecords(seed);
        T reused = null;
        for (int i = 0; i < 200; i++) {
            T record = random.next(type);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            writer.write(record, encoder);
            encoder.flush();
            reused = reader.read(reused, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
            assertThat(reused).isEqualTo(record);
        }
    }
}
