package dev.ringfence.contract.codec;

import dev.ringfence.contract.AlertingContract;
import dev.ringfence.contract.EnvelopeContract;
import java.util.List;
import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Turns on Avro's fast paths in the model of every contract class: the fast reader, which plans how to read a
 * schema once where the default reader resolves every field through a {@code ResolvingDecoder} and looks up each
 * string's class on every read (even when the writer's schema is the reader's own), and the generated classes' own
 * encoders, which write field by field in straight code where the default writer reflects on the schema. Avro 1.11
 * leaves both off unless system properties were set before the classes loaded. Serializers built on a class's own
 * model ({@code MODEL$}, which Flink's {@code AvroSerializer} uses) take them from the next record on. Idempotent.
 */
public final class FastCoding {
    private static final List<Protocol> EVERY_TYPE = List.of(EnvelopeContract.PROTOCOL, AlertingContract.PROTOCOL);

    private FastCoding() {}

    public static void enable() {
        for (Protocol protocol : EVERY_TYPE) {
            for (Schema type : protocol.getTypes()) {
                if (type.getType() == Schema.Type.RECORD) {
                    enableIn(modelOf(type));
                }
            }
        }
    }

    /** The same in a model of one's own (a codec's). */
    public static void enableIn(SpecificData model) {
        model.setFastReaderEnabled(true);
        model.setCustomCoders(true);
    }

    static SpecificData modelOf(Schema record) {
        Class<?> type = SpecificData.get().getClass(record);
        if (type == null) {
            throw new IllegalStateException("no generated class for contract record " + record.getFullName());
        }
        return SpecificData.getForClass(type);
    }
}
