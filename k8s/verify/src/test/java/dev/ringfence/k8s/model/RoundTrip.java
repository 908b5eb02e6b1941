package dev.ringfence.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a model kept everything it was given. Some published models read an unknown enum value as null
 * (Strimzi's forValue factories do) instead of failing; writing the model back out and finding every input
 * value again catches that, and any other silent loss.
 */
final class RoundTrip {
    /** Writes every property, even where a model asks to omit defaults or nulls: a lost value shows. */
    private static final ObjectMapper WRITE_ALL = new ObjectMapper().setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public JsonInclude.Value findPropertyInclusion(Annotated annotated) {
            return JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS);
        }
    });

    private RoundTrip() {}

    /** The first input value that reading {@code input} into {@code model} lost or changed. */
    static Optional<String> lost(JsonNode input, Object model) {
        return lost(input, WRITE_ALL.valueToTree(model), "");
    }

    /** fabric8 writes a Go duration in nanoseconds: "2160h" comes back as "7776000000000000ns". */
    private static boolean sameDuration(JsonNode input, JsonNode output) {
        return input.isTextual() && output.isTextual() && GoDuration.nanos(input.asText()).isPresent()
                && GoDuration.nanos(input.asText()).equals(GoDuration.nanos(output.asText()));
    }

    /** The first input value the output lacks or changed, as a path. */
    private static Optional<String> lost(JsonNode input, JsonNode output, String path) {
        if (input.isObject()) {
            if (!output.isObject()) {
                return Optional.of(path + " (was an object)");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                Optional<String> lost = lost(field.getValue(), output.path(field.getKey()), path + "/" + field.getKey());
                if (lost.isPresent()) {
                    return lost;
                }
            }
            return Optional.empty();
        }
        if (input.isArray()) {
            if (!output.isArray() || output.size() != input.size()) {
                return Optional.of(path + " (list changed)");
            }
            for (int i = 0; i < input.size(); i++) {
                Optional<String> lost = lost(input.get(i), output.get(i), path + "/" + i);
                if (lost.isPresent()) {
                    return lost;
                }
            }
            return Optional.empty();
        }
        boolean same = input.isNumber() && output.isNumber()
                ? input.decimalValue().compareTo(output.decimalValue()) == 0
                : input.equals(output) || sameDuration(input, output);
        return same ? Optional.empty() : Optional.of(path + ": '" + input.asText() + "' did not survive (read as "
                + (output.isMissingNode() ? "nothing" : "'" + output.asText() + "'") + ")");
    }
}
