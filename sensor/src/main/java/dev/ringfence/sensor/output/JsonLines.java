package dev.ringfence.sensor.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ringfence.contract.Event;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * One JSON object per event: the Event's fields (node, time_ns, seq), "type" naming the payload
 * record, and "payload" with the record's own field names, so jq filters follow the schemas.
 * Written with jackson-core's streaming generator: databind would load some 430 classes into
 * the sensor for this alone.
 */
public final class JsonLines {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonLines() {}

    /**
     * Lines written straight onto {@code bytes} (UTF-8), one generator for the stream's life. Formatting each line
     * into a String first, then encoding it, cost about twice the CPU per event (measured: 182 against 120 µs of
     * sensor CPU per exec for json against compact lines); each line ends with a newline.
     */
    public static Stream stream(OutputStream bytes) {
        try {
            JsonGenerator out = JSON.createGenerator(bytes, JsonEncoding.UTF8)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            out.setRootValueSeparator(null);
            return new Stream(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON lines", e);
        }
    }

    /** See {@link #stream}. */
    public static final class Stream implements Flushable {
        private final JsonGenerator out;

        private Stream(JsonGenerator out) {
            this.out = out;
        }

        public void write(Event event) throws IOException {
            event(out, event);
            out.writeRaw('\n');
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    private static void event(JsonGenerator out, Event event) throws IOException {
        IndexedRecord payload = (IndexedRecord) event.getPayload();
        out.writeStartObject();
        out.writeStringField("type", payload.getSchema().getName());
        out.writeStringField("node", event.getNode());
        out.writeNumberField("time_ns", event.getTimeNs());
        out.writeNumberField("seq", event.getSeq());
        out.writeFieldName("payload");
        record(out, payload);
        out.writeEndObject();
    }

    private static void record(JsonGenerator out, IndexedRecord record) throws IOException {
        out.writeStartObject();
        for (Schema.Field field : record.getSchema().getFields()) {
            out.writeFieldName(field.name());
            value(out, record.get(field.pos()));
        }
        out.writeEndObject();
    }

    private static void value(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case IndexedRecord nested -> record(out, nested);
            case GenericEnumSymbol<?> symbol -> out.writeString(symbol.toString());
            case Enum<?> symbol -> out.writeString(symbol.name());
            case CharSequence text -> out.writeString(text.toString());
            case Integer number -> out.writeNumber(number);
            case Long number -> out.writeNumber(number);
            case Double number -> out.writeNumber(number);
            case Float number -> out.writeNumber(number);
            case Boolean flag -> out.writeBoolean(flag);
            case ByteBuffer bytes -> out.writeString(Base64.getEncoder().encodeToString(bytes.duplicate().array()));
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName(entry.getKey().toString());
                    value(out, entry.getValue());
                }
                out.writeEndObject();
            }
            case Collection<?> items -> {
                out.writeStartArray();
                for (Object item : items) {
                    value(out, item);
                }
                out.writeEndArray();
            }
            default -> out.writeString(value.toString());
        }
    }
}
