package dev.ringfence.contract.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.kafka.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContractCodecTest {

    @ParameterizedTest
    @EnumSource(Topic.class)
    void everyTopicRecordRoundTrips(Topic topic) {
        roundTrip(topic.valueType(), topic.ordinal());
    }

    private static <T extends SpecificRecord> void roundTrip(Class<T> type, long seed) {
        ContractCodec<T> codec = ContractCodec.of(type);
        RandomRecords random = new RandomRecords(seed);
        for (int i = 0; i < 200; i++) {
            T record = random.next(type);
            byte[] bytes = codec.encode(record);
            assertThat(bytes[0]).isEqualTo((byte) 0xC3);
            assertThat(bytes[1]).isEqualTo((byte) 0x01);
            assertThat(codec.decode(bytes)).isEqualTo(record);
        }
    }

    @Test
    void everyEventPayloadTypeRoundTrips() {
        ContractCodec<Event> codec = ContractCodec.of(Event.class);
        Schema schema = Event.getClassSchema();
        int branches = schema.getField("payload").schema().getTypes().size();
        Set<String> seen = new HashSet<>();
        RandomRecords random = new RandomRecords(7);
        for (int branch = 0; branch < branches; branch++) {
            GenericData.Record generic = random.withBranch(schema, "payload", branch);
            Event event = (Event) SpecificData.get().deepCopy(schema, (Object) generic);
            Event decoded = codec.decode(codec.encode(event));
            assertThat(decoded).isEqualTo(event);
            seen.add(decoded.getPayload().getClass().getSimpleName());
        }
        assertThat(seen).contains("ProcessExec", "ProcessFork", "ProcessExit", "NetworkFlow", "FileAccess",
                "PrivilegeChange", "KernelModuleLoad", "IdentityUpdate", "EnforcementAction", "SensorHealth");
    }

    @Test
    void recordsWrittenWithAReleasedSchemaDecodeIntoTheCurrentClass() throws IOException {
        String oldest = ReleasedSchemas.versions().getFirst();
        Schema released = ReleasedSchemas.find(oldest, "Decision");
        GenericData.Record record = new RandomRecords(3).withBranch(released, "signature", 0);
        byte[] bytes = singleObject(released, record);
        Decision decoded = ContractCodec.of(Decision.class).decode(bytes);
        assertThat(decoded.getDecisionId()).isEqualTo(record.get("decision_id").toString());
        assertThat(decoded.getTarget().getNode()).isEqualTo(((GenericData.Record) record.get("target")).get("node").toString());
    }

    @Test
    void garbageIsRefusedWithAClearReason() {
        ContractCodec<Event> codec = ContractCodec.of(Event.class);
        assertThatThrownBy(() -> codec.decode("{\"json\":true}".getBytes()))
                .isInstanceOf(ContractDecodingException.class)
                .hasMessageContaining("not Avro single-object encoding");
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(ContractDecodingException.class)
                .hasMessageContaining("null value");
    }

    @Test
    void unknownFingerprintIsNamed() {
        ContractCodec<Event> codec = ContractCodec.of(Event.class);
        byte[] bytes = codec.encode(new RandomRecords(1).next(Event.class));
        bytes[2] ^= 0x5A;
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ContractDecodingException.class)
                .hasMessageContaining("unknown schema fingerprint");
        byte[] decisionBytes = ContractCodec.of(Decision.class).encode(new RandomRecords(2).next(Decision.class));
        assertThatThrownBy(() -> codec.decode(decisionBytes))
                .isInstanceOf(ContractDecodingException.class)
                .hasMessageContaining("unknown schema fingerprint");
    }

    @Test
    void truncatedBodyIsCorrupt() {
        ContractCodec<Event> codec = ContractCodec.of(Event.class);
        byte[] bytes = codec.encode(new RandomRecords(5).next(Event.class));
        byte[] truncated = Arrays.copyOf(bytes, 14);
        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(ContractDecodingException.class)
                .hasMessageContaining("corrupt Event body");
    }

    @Test
    void invalidRecordIsRefusedOnEncode() {
        Event event = new RandomRecords(9).next(Event.class);
        event.setNode(null);
        assertThatThrownBy(() -> ContractCodec.of(Event.class).encode(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid Event");
    }

    @Test
    void anInvalidRecordsErrorNamesTheFieldEvenThroughTheGeneratedEncoders() {
        Decision decision = new RandomRecords(10).next(Decision.class);
        decision.setDecisionId(null);
        assertThatThrownBy(() -> ContractCodec.of(Decision.class).encode(decision))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid Decision")
                .hasMessageContaining("Decision.decision_id");
    }

    private static byte[] singleObject(Schema schema, GenericData.Record record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xC3, 0x01});
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericData.Record>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
