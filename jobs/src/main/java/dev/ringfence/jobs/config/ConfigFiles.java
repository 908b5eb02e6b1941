package dev.ringfence.jobs.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads JSON or YAML (by extension) strictly: unknown keys, wrong types and nulls for primitives are errors. */
public final class ConfigFiles {
    private ConfigFiles() {}

    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException(file + ": no such file");
        }
        String name = file.getFileName().toString();
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        try {
            return parse(Files.readString(file), yaml, type, file.toString());
        } catch (IOException e) {
            throw new InvalidConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static <T> T parse(String text, boolean yaml, Class<T> type, String origin) {
        ObjectMapper mapper = (yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try {
            T value = mapper.readValue(text, type);
            if (value == null) {
                throw new InvalidConfigException(origin + ": empty document");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidConfigException(origin + ": unknown key '" + e.getPropertyName() + "' at "
                    + path(e) + " (known: " + e.getKnownPropertyIds() + ")", e);
        } catch (JacksonException e) {
            throw new InvalidConfigException(origin + ": " + e.getOriginalMessage() + " at " + path(e), e);
        }
    }

    private static String path(JacksonException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (var ref : mapping.getPath()) {
                path.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            return path.substring(path.charAt(0) == '.' ? 1 : 0);
        }
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr();
    }
}
