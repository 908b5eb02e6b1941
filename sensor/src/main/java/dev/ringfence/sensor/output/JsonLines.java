package dev.ringfence.sensor.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringfence.contract.Event;
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
 */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonLines() {}

    public static String format(Event event) {
        ObjectNode line = NODES.objectNode();
        IndexedRecord payload = (IndexedRecord) event.getPayload();
        line.put("type", payload.getSchema().getName());
        line.put("node", event.getNode());
        line.put("time_ns", event.getTimeNs());
        line.put("seq", event.getSeq());
        line.set("payload", record(payload));
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event.getSeq() + " as JSON", e);
        }
    }

    private static ObjectNode record(IndexedRecord record) {
        ObjectNode object = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            object.set(field.name(), value(record.get(field.pos())));
        }
        return object;
    }

    private static JsonNode value(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case IndexedRecord nested -> record(nested);
            case GenericEnumSymbol<?> symbol -> NODES.textNode(symbol.toString());
            case Enum<?> symbol -> NODES.textNode(symbol.name());
            case CharSequence text -> NODES.textNode(text.toString());
            case Integer number -> NODES.numberNode(number);
            case Long number -> NODES.numberNode(number);
            case Double number -> NODES.numberNode(number);
            case Float number -> NODES.numberNode(number);
            case Boolean flag -> NODES.booleanNode(flag);
            case ByteBuffer bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytes.duplicate().array()));
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((key, item) -> object.set(key.toString(), value(item)));
                yield object;
            }
            case Collection<?> items -> {
                ArrayNode array = NODES.arrayNode();
                items.forEach(item -> array.add(value(item)));
                yield array;
            }
            default -> NODES.textNode(value.toString());
        };
    }
}
