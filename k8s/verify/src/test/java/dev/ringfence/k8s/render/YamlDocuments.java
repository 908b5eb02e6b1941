package dev.ringfence.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Multi-document YAML as JSON trees. SnakeYAML resolves anchors and aliases, as kubectl and kustomize do. */
public final class YamlDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private YamlDocuments() {}

    /** Every non-empty document of the file; each must be a mapping. */
    public static List<ObjectNode> read(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<ObjectNode> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : yaml.loadAll(reader)) {
                if (document == null) {
                    continue;
                }
                if (!(document instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException(file + ": a document is not a mapping");
                }
                documents.add(JSON.valueToTree(document));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** One YAML value (a scalar, list or map) as a JSON tree. */
    public static JsonNode parseValue(String yaml) {
        return JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml));
    }

    public static ObjectNode readOne(Path file) {
        List<ObjectNode> documents = read(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one document, found " + documents.size());
        }
        return documents.getFirst();
    }
}
