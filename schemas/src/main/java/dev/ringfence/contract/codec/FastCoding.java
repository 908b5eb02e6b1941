package dev.ringfence.contract.codec;

import dev.ringfence.contract.AlertingContract;
import dev.ringfence.contract.EnvelopeContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Turns on Avro's fast paths in the model of every contract class: the fast reader, which plans how to read a
 * schema once where the default reader resolves every field through a {@code ResolvingDecoder} and looks up each
 * string's class on every read (even when the writer's schema is the reader's own), and the generated classes' own
 * encoders, which write field by field in straight code where the default writer reflects on the schema. Avro 1.11
 * leaves both off unless system properties were set before the classes loaded. Serializers built on a class's own
 * model ({@code MODEL$}, which Flink's {@code AvroSerializer} uses) take them from the next record on.
 *
 * <p>The reading plans are built here too, not at the first record: a plan costs milliseconds, and the first one in
 * a JVM tens of them (measured: a cold first Decision decode took 40-110 ms, 4-9 ms once prepared), which would
 * otherwise land on the first alert or decision of a run.
 */
public final class FastCoding {
    private static final List<Protocol> EVERY_TYPE = List.of(EnvelopeContract.PROTOCOL, AlertingContract.PROTOCOL);
    private static boolean enabled;

    private FastCoding() {}

    /** Once per class loader; later calls return at once. */
    public static synchronized void enable() {
        if (enabled) {
            return;
        }
        for (Class<?> type : recordClasses()) {
            SpecificData model = SpecificData.getForClass(type);
            enableIn(model);
            // the class's own schema object: plans are cached per schema instance pair
            Schema own = model.getSchema(type);
            prepare(model, own, own);
        }
        enabled = true;
    }

    /** The same in a model of one's own (a codec's). */
    public static void enableIn(SpecificData model) {
        model.setFastReaderEnabled(true);
        model.setCustomCoders(true);
    }

    /** Builds and caches the model's plan for reading {@code writer}'s records into {@code reader}'s class now. */
    public static void prepare(SpecificData model, Schema writer, Schema reader) {
        try {
            model.getFastReaderBuilder().createDatumReader(writer, reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot plan reading " + reader.getFullName(), e);
        }
    }

    /** The generated class of every record type in the contract, each once (the protocols import shared types). */
    static List<Class<?>> recordClasses() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Protocol protocol : EVERY_TYPE) {
            for (Schema type : protocol.getTypes()) {
                if (type.getType() == Schema.Type.RECORD) {
                    Class<?> generated = SpecificData.get().getClass(type);
                    if (generated == null) {
                        throw new IllegalStateException("no generated class for contract record " + type.getFullName());
                    }
                    classes.add(generated);
                }
            }
        }
        return List.copyOf(classes);
    }
}
