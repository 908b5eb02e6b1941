package dev.ringfence.k8s.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ringfence.k8s.render.Resource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates custom objects against a CRD's openAPIV3Schema the way the API server does with strict field
 * validation (kubectl's default): unknown fields are errors (the schema is checked with
 * additionalProperties: false wherever it lists properties and does not preserve unknown fields), types,
 * enums, patterns, bounds and required fields via a JSON Schema validator, and the uniqueness of
 * x-kubernetes-list-type: map keys. CEL rules (x-kubernetes-validations) are not evaluated here.
 */
public final class CrdSchema {
    private final ObjectNode openApiSchema;
    private final JsonSchema strict;

    private CrdSchema(ObjectNode openApiSchema) {
        this.openApiSchema = openApiSchema;
        ObjectNode closed = openApiSchema.deepCopy();
        close(closed);
        this.strict = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(closed);
    }

    /** The schema of the CRD's storage version. */
    public static CrdSchema of(Resource crd) {
        for (JsonNode version : crd.body().path("spec").path("versions")) {
            if (version.path("storage").asBoolean()) {
                return new CrdSchema((ObjectNode) version.path("schema").path("openAPIV3Schema"));
            }
        }
        throw new IllegalArgumentException(crd + " has no storage version");
    }

    public ObjectNode openApiSchema() {
        return openApiSchema;
    }

    /** Every problem of the object; empty when the API server would accept it. */
    public List<String> problems(JsonNode object) {
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : strict.validate(object)) {
            problems.add(message.getMessage());
        }
        listMapDuplicates(openApiSchema, object, "$", problems);
        return problems;
    }

    private static void close(JsonNode schema) {
        if (!schema.isObject()) {
            return;
        }
        ObjectNode node = (ObjectNode) schema;
        if (node.has("properties") && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            node.put("additionalProperties", false);
        }
        node.path("properties").forEach(CrdSchema::close);
        close(node.path("items"));
    }

    private static void listMapDuplicates(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (value.isObject()) {
            schema.path("properties").fields().forEachRemaining(property -> {
                if (value.has(property.getKey())) {
                    listMapDuplicates(property.getValue(), value.get(property.getKey()), path + "." + property.getKey(), problems);
                }
            });
        } else if (value.isArray()) {
            JsonNode keys = schema.path("x-kubernetes-list-map-keys");
            boolean listMap = "map".equals(schema.path("x-kubernetes-list-type").asText());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode element = value.get(i);
                if (listMap) {
                    StringBuilder key = new StringBuilder();
                    keys.forEach(name -> key.append(element.path(name.asText()).asText()).append('\u0000'));
                    if (!seen.add(key.toString())) {
                        problems.add(path + "[" + i + "]: duplicate entry for list-map key " + keys);
                    }
                }
                listMapDuplicates(schema.path("items"), element, path + "[" + i + "]", problems);
            }
        }
    }
}
