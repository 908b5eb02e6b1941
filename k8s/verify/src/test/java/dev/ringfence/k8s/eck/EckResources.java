package dev.ringfence.k8s.eck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.k8s.model.StrictMapper;
import dev.ringfence.k8s.render.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elasticsearch and Kibana objects checked three ways: ECK's compiled schema validators (types, enums,
 * required), every key declared by ECK's model, and the embedded Kubernetes parts (metadata, pod
 * templates, volume claim templates), which ECK passes through unchecked, read strictly with fabric8's.
 */
public final class EckResources {
    public static final Set<String> KINDS = Set.of("Elasticsearch", "Kibana");
    private static final ObjectMapper STRICT = StrictMapper.create();
    /** Fields whose value is a Kubernetes type, read with its fabric8 model instead of ECK's key list. */
    private static final Map<String, Class<?>> EMBEDDED = Map.of(
            "metadata", io.fabric8.kubernetes.api.model.ObjectMeta.class,
            "podTemplate", io.fabric8.kubernetes.api.model.PodTemplateSpec.class,
            "volumeClaimTemplates", io.fabric8.kubernetes.api.model.PersistentVolumeClaim[].class);
    /** Free-form by design: Elasticsearch/Kibana settings (elasticsearch.yml, kibana.yml). */
    private static final Set<String> FREE_FORM = Set.of("config");

    private final EckModels models;

    public EckResources(EckModels models) {
        this.models = models;
    }

    /** Problems per object, in the order given; an empty list for an object that passes. */
    public List<List<String>> problems(List<Resource> resources) {
        List<String> schemaResults = models.validate(resources.stream().map(Resource::body).toList());
        List<List<String>> problems = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            List<String> found = new ArrayList<>();
            if (schemaResults.get(i) != null) {
                found.add("ECK schema: " + schemaResults.get(i));
            }
            walk(resources.get(i).body(), "", found);
            problems.add(found);
        }
        return problems;
    }

    private void walk(JsonNode node, String path, List<String> problems) {
        if (node.isArray()) {
            node.forEach(element -> walk(element, path + "[]", problems));
            return;
        }
        node.fields().forEachRemaining(field -> {
            String key = field.getKey();
            String where = path + "/" + key;
            if (EMBEDDED.containsKey(key)) {
                try {
                    STRICT.treeToValue(field.getValue(), EMBEDDED.get(key));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    problems.add(where + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            } else if (!models.declares(key)) {
                problems.add(where + ": not a field of ECK's model");
            } else if (!FREE_FORM.contains(key)) {
                walk(field.getValue(), where, problems);
            }
        });
    }
}
