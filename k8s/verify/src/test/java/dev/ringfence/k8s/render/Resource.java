package dev.ringfence.k8s.render;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One rendered Kubernetes object and the file it came from (for messages). */
public record Resource(ObjectNode body, String origin) {
    public String apiVersion() {
        return body.path("apiVersion").asText();
    }

    public String kind() {
        return body.path("kind").asText();
    }

    public String name() {
        return body.path("metadata").path("name").asText();
    }

    public String namespace() {
        return body.path("metadata").path("namespace").asText(null);
    }

    /** API group without version: "" for the core group. */
    public String group() {
        String apiVersion = apiVersion();
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public String id() {
        return kind() + "/" + name();
    }

    @Override
    public String toString() {
        return id() + " (" + origin + ")";
    }
}
