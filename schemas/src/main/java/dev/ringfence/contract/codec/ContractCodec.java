package dev.ringfence.contract.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker C3 01, 8-byte schema fingerprint, body) for one record type.
 * A decoder also knows every released version of the type, so records written by older producers
 * still decode into the current class. Thread-safe.
 */
public final class ContractCodec<T extends SpecificRecord> {
    private static final int HEADER_BYTES = 10;

    private final Class<T> type;
    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private ContractCodec(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        SpecificData model = new SpecificData(type.getClassLoader());
        FastCoding.enableIn(model);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        FastCoding.prepare(model, schema, schema);
        for (Schema released : ReleasedSchemas.versionsOf(schema.getFullName())) {
            decoder.addSchema(released);
            FastCoding.prepare(model, released, schema);
        }
    }

    public static <T extends SpecificRecord> ContractCodec<T> of(Class<T> type) {
        return new ContractCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid " + schema.getName() + ": " + whatIsWrong(record, e), e);
        }
    }

    /**
     * The generated encoders fail without naming the field ("no further details available as custom coders were
     * used"); Avro's schema-driven writer names it. Only a record that failed pays for this second attempt.
     */
    private String whatIsWrong(T record, RuntimeException failure) {
        try {
            new BinaryMessageEncoder<T>(new SpecificData(type.getClassLoader()), schema).encode(record);
        } catch (IOException | RuntimeException detailed) {
            return detailed.getMessage();
        }
        return failure.getMessage();
    }

    /** Decodes one record, or throws {@link ContractDecodingException} saying what is wrong with the bytes. */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new ContractDecodingException("no bytes (null value) where a " + schema.getName() + " was expected", null);
        }
        try {
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw new ContractDecodingException("not Avro single-object encoding (expected marker C3 01, got "
                    + preview(bytes) + ", " + bytes.length + " bytes)", e);
        } catch (MissingSchemaException e) {
            throw new ContractDecodingException("unknown schema fingerprint " + fingerprintHex(bytes) + " for "
                    + schema.getName() + "; known: " + knownFingerprints(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new ContractDecodingException("corrupt " + schema.getName() + " body (" + bytes.length + " bytes): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private String knownFingerprints() {
        StringBuilder known = new StringBuilder(hex(SchemaNormalization.parsingFingerprint64(schema)));
        for (Schema released : ReleasedSchemas.versionsOf(schema.getFullName())) {
            known.append(", ").append(hex(SchemaNormalization.parsingFingerprint64(released)));
        }
        return known.toString();
    }

    private static String fingerprintHex(byte[] bytes) {
        if (bytes.length < HEADER_BYTES) {
            return "(truncated header)";
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        return hex(fingerprint);
    }

    private static String hex(long fingerprint) {
        return HexFormat.of().toHexDigits(fingerprint);
    }

    private static String preview(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(bytes.length, 4));
    }
}
