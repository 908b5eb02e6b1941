package dev.ringfence.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The subset of kustomize's patch merge that k8s/ uses. Maps merge key by key and a null deletes.
 * Lists of built-in kinds merge element by element on the Kubernetes merge key of that list; a custom
 * resource has no merge keys in kustomize (no OpenAPI patch metadata), so its lists are replaced whole.
 */
final class StrategicMerge {
    /** Kubernetes patchMergeKey of the lists k8s/ patches in built-in kinds. */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "volumes", "name",
            "env", "name",
            "volumeMounts", "mountPath",
            "ports", "containerPort");
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "policy", "networking.k8s.io",
            "rbac.authorization.k8s.io", "scheduling.k8s.io");

    private StrategicMerge() {}

    static void apply(Resource target, ObjectNode patch) {
        merge(target.body(), patch, BUILT_IN_GROUPS.contains(target.group()));
    }

    private static void merge(ObjectNode target, ObjectNode patch, boolean builtIn) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) value, builtIn);
            } else if (value.isArray() && existing != null && existing.isArray() && builtIn && MERGE_KEYS.containsKey(key)) {
                mergeList((ArrayNode) existing, (ArrayNode) value, MERGE_KEYS.get(key));
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String mergeKey) {
        for (JsonNode element : patch) {
            JsonNode key = element.get(mergeKey);
            if (key == null || !element.isObject()) {
                throw new IllegalArgumentException("a patch element of a merged list has no '" + mergeKey + "': " + element);
            }
            ObjectNode match = null;
            for (JsonNode candidate : target) {
                if (key.equals(candidate.get(mergeKey))) {
                    match = (ObjectNode) candidate;
                }
            }
            if (match == null) {
                target.add(element.deepCopy());
            } else {
                merge(match, (ObjectNode) element, true);
            }
        }
    }
}
