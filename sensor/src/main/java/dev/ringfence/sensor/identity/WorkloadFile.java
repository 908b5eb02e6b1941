package dev.ringfence.sensor.identity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local-host workload file (JSON):
 * <pre>{"workloads": [{"name": "web", "cgroup": "/system.slice/nginx.service",
 *                   "labels": {"app": "web"}, "ips": ["10.0.0.5"]}]}</pre>
 * name and cgroup are required; labels and ips optional; any other key is an error.
 */
public final class WorkloadFile {
    private static final Set<String> ENTRY_KEYS = Set.of("name", "cgroup", "labels", "ips");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private WorkloadFile() {}

    public static List<LocalWorkload> read(Path file) {
        try {
            return parse(JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("workload file " + file + ": " + e.getMessage(), e);
        }
    }

    static List<LocalWorkload> parse(JsonNode root, String source) {
        if (root == null || !root.isObject() || root.size() != 1 || !root.path("workloads").isArray()) {
            throw new IllegalArgumentException("workload file " + source + ": expected {\"workloads\": [...]} and nothing else");
        }
        List<LocalWorkload> workloads = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode entry : root.get("workloads")) {
            String where = "workload file " + source + ": workloads[" + index++ + "]";
            if (!entry.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            for (Iterator<String> keys = entry.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!ENTRY_KEYS.contains(key)) {
                    throw new IllegalArgumentException(where + ": unknown key '" + key + "' (allowed: " + ENTRY_KEYS + ")");
                }
            }
            try {
                LocalWorkload workload = new LocalWorkload(text(entry, "name", where), text(entry, "cgroup", where),
                        labels(entry.path("labels"), where), ips(entry.path("ips"), where));
                if (!names.add(workload.name())) {
                    throw new IllegalArgumentException("duplicate workload name " + workload.name());
                }
                workloads.add(workload);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return workloads;
    }

    private static String text(JsonNode entry, String key, String where) {
        JsonNode value = entry.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + ": '" + key + "' is required and must be a string");
        }
        return value.asText();
    }

    private static Map<String, String> labels(JsonNode node, String where) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node.isMissingNode()) {
            return labels;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": 'labels' must be an object of strings");
        }
        node.fields().forEachRemaining(label -> {
            if (!label.getValue().isTextual()) {
                throw new IllegalArgumentException(where + ": label '" + label.getKey() + "' must be a string");
            }
            labels.put(label.getKey(), label.getValue().asText());
        });
        return labels;
    }

    private static List<String> ips(JsonNode node, String where) {
        List<String> ips = new ArrayList<>();
        if (node.isMissingNode()) {
            return ips;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + ": 'ips' must be an array of strings");
        }
        for (JsonNode ip : node) {
            if (!ip.isTextual()) {
                throw new IllegalArgumentException(where + ": 'ips' must be an array of strings");
            }
            ips.add(ip.asText());
        }
        return ips;
    }
}
