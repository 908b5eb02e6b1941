package dev.ringfence.sinks.template;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Installs the component and composable index templates. Installing is idempotent (a PUT of the same
 * definitions) and happens before the first write, so every index and data stream is created strictly typed.
 */
public final class IndexTemplates {
    /** Component templates, in the order the index templates compose them. */
    public static final List<String> COMPONENTS =
            List.of("ringfence-settings", "ringfence-ecs-base", "ringfence-alerts-mappings", "ringfence-audit-mappings",
                    "ringfence-service-graph-mappings");
    public static final List<String> INDEX_TEMPLATES = List.of("ringfence-alerts", "ringfence-audit", "ringfence-service-graph");

    private IndexTemplates() {}

    public static void install(ElasticsearchClient client) {
        try {
            for (String name : COMPONENTS) {
                try (InputStream json = definition(name)) {
                    client.cluster().putComponentTemplate(request -> request.name(name).withJson(json));
                }
            }
            for (String name : INDEX_TEMPLATES) {
                try (InputStream json = definition(name)) {
                    client.indices().putIndexTemplate(request -> request.name(name).withJson(json));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Ringfence index templates", e);
        }
    }

    /** The template's JSON as shipped in the jar (also what the README tells operators to PUT by hand). */
    public static InputStream definition(String name) {
        InputStream json = IndexTemplates.class.getResourceAsStream(name + ".json");
        if (json == null) {
            throw new IllegalStateException("template " + name + " is missing from the jar");
        }
        return json;
    }
}
