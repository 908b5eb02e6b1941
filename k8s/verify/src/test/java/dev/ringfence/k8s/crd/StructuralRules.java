package dev.ringfence.k8s.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules an apiextensions.k8s.io/v1 CRD schema must follow to be accepted (a "structural schema"),
 * for the keywords k8s/ uses: a type on every node, no $ref, no additionalProperties beside properties,
 * and list-map keys that every item must carry (required, or defaulted).
 */
public final class StructuralRules {
    private StructuralRules() {}

    public static List<String> violations(JsonNode schema) {
        List<String> violations = new ArrayList<>();
        check(schema, "openAPIV3Schema", violations);
        return violations;
    }

    private static void check(JsonNode node, String path, List<String> violations) {
        if (!node.has("type") && !node.path("x-kubernetes-int-or-string").asBoolean(false)
                && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            violations.add(path + ": no type");
        }
        if (node.has("$ref")) {
            violations.add(path + ": $ref is not allowed in a CRD");
        }
        if (node.has("properties") && node.has("additionalProperties")) {
            violations.add(path + ": properties and additionalProperties are mutually exclusive");
        }
        if (node.has("x-kubernetes-list-map-keys")) {
            JsonNode items = node.path("items");
            Set<String> required = new HashSet<>();
            items.path("required").forEach(name -> required.add(name.asText()));
            for (JsonNode key : node.get("x-kubernetes-list-map-keys")) {
                boolean defaulted = items.path("properties").path(key.asText()).has("default");
                if (!required.contains(key.asText()) && !defaulted) {
                    violations.add(path + ": list-map key '" + key.asText() + "' must be required or defaulted");
                }
            }
        }
        node.path("properties").fields().forEachRemaining(property ->
                check(property.getValue(), path + ".properties." + property.getKey(), violations));
        if (node.has("items")) {
            check(node.get("items"), path + ".items", violations);
        }
    }
}
