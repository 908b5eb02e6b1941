package dev.ringfence.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** One {@code images:} entry: rewrites the image of every container and init container whose name matches. */
record ImageRewrite(String name, String newName, String newTag) {
    private static final Set<String> KEYS = Set.of("name", "newName", "newTag");
    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers");

    static ImageRewrite of(ObjectNode entry) {
        entry.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("images key '" + key + "' is not supported by this renderer");
            }
        });
        return new ImageRewrite(entry.path("name").asText(), entry.path("newName").asText(null),
                entry.path("newTag").asText(null));
    }

    void apply(JsonNode node) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (CONTAINER_LISTS.contains(field.getKey()) && field.getValue().isArray()) {
                    field.getValue().forEach(container -> rewrite((ObjectNode) container));
                }
                apply(field.getValue());
            });
        } else if (node.isArray()) {
            node.forEach(this::apply);
        }
    }

    private void rewrite(ObjectNode container) {
        String image = container.path("image").asText(null);
        if (image == null) {
            return;
        }
        // the tag is after the last ':' that follows the last '/' (a registry may carry a port)
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > slash;
        String repository = tagged ? image.substring(0, colon) : image;
        String tag = tagged ? image.substring(colon + 1) : null;
        if (!repository.equals(name)) {
            return;
        }
        String finalTag = newTag != null ? newTag : tag;
        container.put("image", (newName != null ? newName : repository) + (finalTag != null ? ":" + finalTag : ""));
    }
}
