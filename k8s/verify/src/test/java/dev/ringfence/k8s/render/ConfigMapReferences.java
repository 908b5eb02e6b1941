package dev.ringfence.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * kustomize's name reference for generated ConfigMaps, in the places its default configuration knows:
 * pod specs of built-in kinds (volumes, projected sources, envFrom, env valueFrom). Custom resources are
 * left alone, exactly as kustomize leaves them.
 */
final class ConfigMapReferences {
    private static final Set<String> REFERENCE_FIELDS = Set.of("configMap", "configMapRef", "configMapKeyRef");
    private static final Set<String> BUILT_IN_WORKLOADS = Set.of("Pod", "Deployment", "DaemonSet", "StatefulSet", "Job",
            "CronJob", "ReplicaSet");

    private ConfigMapReferences() {}

    static void rename(Resource resource, Map<String, String> generatedNames) {
        if (BUILT_IN_WORKLOADS.contains(resource.kind())) {
            walk(resource.body(), generatedNames);
        }
    }

    private static void walk(JsonNode node, Map<String, String> generatedNames) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (REFERENCE_FIELDS.contains(field.getKey()) && value.isObject() && value.has("name")) {
                    String generated = generatedNames.get(value.get("name").asText());
                    if (generated != null) {
                        ((ObjectNode) value).put("name", generated);
                    }
                }
                walk(value, generatedNames);
            });
        } else if (node.isArray()) {
            node.forEach(element -> walk(element, generatedNames));
        }
    }
}
