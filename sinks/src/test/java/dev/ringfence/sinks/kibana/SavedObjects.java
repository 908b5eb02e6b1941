package dev.ringfence.sinks.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kibana saved objects shipped in {@code sinks/kibana/}, parsed, with the fields each visualization
 * and saved search reads and the field types the aggregation reading it can work with.
 */
public final class SavedObjects {
    public static final Path FILE = Path.of("kibana", "ringfence.ndjson");
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> DATES = Set.of("date", "date_nanos");
    private static final Set<String> BUCKETABLE = Set.of("keyword", "ip", "long", "boolean");
    private static final Set<String> NUMBERS = Set.of("long");

    /** A field one object reads, in the index pattern it reads from, and the types that would work. */
    public record FieldUse(String objectId, String indexPattern, String field, Set<String> allowedTypes) {}

    private final List<JsonNode> objects;

    private SavedObjects(List<JsonNode> objects) {
        this.objects = objects;
    }

    public static SavedObjects load() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        int line = 0;
        for (String text : Files.readAllLines(FILE)) {
            line++;
            if (text.isBlank()) {
                throw new IllegalStateException(FILE + ":" + line + " is blank; NDJSON has one object per line");
            }
            objects.add(JSON.readTree(text));
        }
        return new SavedObjects(objects);
    }

    public List<JsonNode> all() {
        return objects;
    }

    public Map<String, JsonNode> byId() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        objects.forEach(object -> byId.put(object.path("id").asText(), object));
        return byId;
    }

    public List<JsonNode> ofType(String type) {
        return objects.stream().filter(object -> object.path("type").asText().equals(type)).toList();
    }

    /** A JSON document stored as a string inside an attribute (Kibana's visState, panelsJSON, searchSourceJSON...). */
    public static JsonNode embedded(JsonNode object, String pointer) throws IOException {
        JsonNode text = object.at(pointer);
        if (!text.isTextual()) {
            throw new IllegalStateException(object.path("id").asText() + " has no JSON text at " + pointer);
        }
        return JSON.readTree(text.asText());
    }

    /** Every field read by a visualization (aggregations, Vega queries) or shown by a saved search. */
    public List<FieldUse> fieldUses() throws IOException {
        Map<String, String> patterns = new LinkedHashMap<>();
        ofType("index-pattern").forEach(view -> patterns.put(view.path("id").asText(), view.at("/attributes/title").asText()));
        List<FieldUse> uses = new ArrayList<>();
        for (JsonNode visualization : ofType("visualization")) {
            String id = visualization.path("id").asText();
            JsonNode state = embedded(visualization, "/attributes/visState");
            if (state.path("type").asText().equals("vega")) {
                JsonNode spec = JSON.readTree(state.at("/params/spec").asText());
                for (JsonNode data : spec.path("data")) {
                    JsonNode url = data.path("url");
                    if (url.has("index")) {
                        collectTermsFields(url.path("body"), id, url.path("index").asText(), uses);
                    }
                }
                continue;
            }
            String pattern = patterns.get(indexReference(visualization));
            for (JsonNode aggregation : state.path("aggs")) {
                String field = aggregation.at("/params/field").asText(null);
                if (field != null) {
                    uses.add(new FieldUse(id, pattern, field, typesFor(aggregation.path("type").asText())));
                }
            }
        }
        for (JsonNode search : ofType("search")) {
            String pattern = patterns.get(indexReference(search));
            for (JsonNode column : search.at("/attributes/columns")) {
                uses.add(new FieldUse(search.path("id").asText(), pattern, column.asText(), Set.of()));
            }
        }
        return uses;
    }

    static String indexReference(JsonNode object) {
        for (JsonNode reference : object.path("references")) {
            if (reference.path("name").asText().equals("kibanaSavedObjectMeta.searchSourceJSON.index")) {
                return reference.path("id").asText();
            }
        }
        throw new IllegalStateException(object.path("id").asText() + " names no index pattern");
    }

    private static Set<String> typesFor(String aggregation) {
        return switch (aggregation) {
            case "date_histogram" -> DATES;
            case "terms" -> BUCKETABLE;
            case "avg", "max", "min", "sum", "percentiles" -> NUMBERS;
            default -> throw new IllegalStateException("no expectation for aggregation type " + aggregation);
        };
    }

    private static void collectTermsFields(JsonNode node, String id, String pattern, List<FieldUse> uses) {
        if (node.isObject()) {
            node.fields().forEachRemaining(entry -> {
                if (entry.getKey().equals("terms") && entry.getValue().has("field")) {
                    uses.add(new FieldUse(id, pattern, entry.getValue().path("field").asText(), BUCKETABLE));
                } else {
                    collectTermsFields(entry.getValue(), id, pattern, uses);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectTermsFields(child, id, pattern, uses));
        }
    }

    /** Ids of every object the given one references. */
    static Set<String> referencedIds(JsonNode object) {
        Set<String> ids = new LinkedHashSet<>();
        object.path("references").forEach(reference -> ids.add(reference.path("id").asText()));
        return ids;
    }
}
