package dev.ringfence.sinks.ecs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document built by dotted ECS paths ({@code process.parent.pid}), nested as Elasticsearch
 * expects. Nulls and empty lists are left out, so absent contract fields never become explicit nulls.
 */
public final class EcsDocument {
    private final Map<String, Object> root = new LinkedHashMap<>();

    /**
     * A Ringfence event: its time and the ECS event categorization fields every SIEM rule filters on
     * ({@code event.kind/category/type}, module {@code ringfence}, {@code event.dataset}, {@code event.id}).
     */
    public static EcsDocument event(String timestamp, String kind, String category, String type, String dataset, String id) {
        return new EcsDocument()
                .put("@timestamp", timestamp)
                .put("event.kind", kind)
                .put("event.category", List.of(category))
                .put("event.type", List.of(type))
                .put("event.module", "ringfence")
                .put("event.dataset", dataset)
                .put("event.id", id);
    }

    public EcsDocument put(String path, Object value) {
        if (value == null || (value instanceof List<?> list && list.isEmpty()) || (value instanceof Map<?, ?> map && map.isEmpty())) {
            return this;
        }
        Map<String, Object> parent = root;
        String[] segments = path.split("\\.");
        for (int i = 0; i < segments.length - 1; i++) {
            parent = childObject(parent, segments[i], path);
        }
        parent.put(segments[segments.length - 1], value instanceof CharSequence text ? text.toString() : value);
        return this;
    }

    /** Appends an object built by dotted paths to the list at {@code path}. */
    public EcsDocument add(String path, EcsDocument element) {
        Map<String, Object> parent = root;
        String[] segments = path.split("\\.");
        for (int i = 0; i < segments.length - 1; i++) {
            parent = childObject(parent, segments[i], path);
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) parent.computeIfAbsent(segments[segments.length - 1], key -> new ArrayList<>());
        list.add(element.root);
        return this;
    }

    public Map<String, Object> toMap() {
        return root;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> childObject(Map<String, Object> parent, String key, String path) {
        Object child = parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
        if (!(child instanceof Map)) {
            throw new IllegalStateException("'" + path + "' goes through '" + key + "', which already holds a value");
        }
        return (Map<String, Object>) child;
    }
}
