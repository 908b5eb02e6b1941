package dev.ringfence.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/** configMapGenerator with {@code files} ("key=path" or "path") and the name-suffix hash kustomize appends. */
final class ConfigMapGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("name", "files", "options");

    private ConfigMapGenerator() {}

    static Resource generate(Path root, ObjectNode generator) {
        generator.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("configMapGenerator key '" + key + "' is not supported by this renderer");
            }
        });
        ObjectNode data = JSON.createObjectNode();
        for (JsonNode entry : generator.path("files")) {
            String text = entry.asText();
            int equals = text.indexOf('=');
            String key = equals < 0 ? Path.of(text).getFileName().toString() : text.substring(0, equals);
            Path file = root.resolve(equals < 0 ? text : text.substring(equals + 1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                throw new IllegalArgumentException("configMapGenerator file '" + text + "' is missing or outside " + root);
            }
            try {
                data.put(key, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String name = generator.path("name").asText();
        boolean hashed = !generator.path("options").path("disableNameSuffixHash").asBoolean(false);
        ObjectNode configMap = JSON.createObjectNode();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", hashed ? name + "-" + hash(data) : name);
        configMap.set("data", data);
        return new Resource(configMap, "configMapGenerator " + name);
    }

    /** Content hash: any change of the data gives a new name, so pods that mount it roll. */
    private static String hash(ObjectNode data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(data.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
