package dev.ringfence.allinone.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** One JSON object per line, for {@code --json} and the ECS alert file. */
public final class JsonLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {}

    public static String of(Map<String, ?> fields) {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            // only plain maps, lists, strings and numbers are written: this is a bug, not bad input
            throw new IllegalStateException("cannot write JSON line: " + e.getMessage(), e);
        }
    }
}
