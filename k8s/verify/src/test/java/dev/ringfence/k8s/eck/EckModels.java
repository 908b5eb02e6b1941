package dev.ringfence.k8s.eck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ECK's published schema. Elastic publishes no Java model; the npm package @kubernetes-models/elastic-cloud
 * carries JSON-schema validators compiled from ECK's CRDs (types, enums, required fields), run here with
 * node. Those validators accept unknown keys (the CRDs do not close their objects), so typos are caught
 * separately: every key must be a field that ECK's model declares somewhere (its .d.ts interfaces).
 */
public final class EckModels {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECLARED_FIELD = Pattern.compile("^\\s+\"([A-Za-z0-9_.-]+)\"\\??:", Pattern.MULTILINE);

    private final Path packageDir;
    private final Set<String> declaredFields;

    private EckModels(Path packageDir, Set<String> declaredFields) {
        this.packageDir = packageDir;
        this.declaredFields = declaredFields;
    }

    /** The package the build installed (see the pom's eck-models execution). */
    public static EckModels installed() {
        Path dir = Path.of(System.getProperty("eck.models", "target/eck/node_modules/@kubernetes-models/elastic-cloud"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("ECK models not installed at " + dir + " (the build's npm step installs them)");
        }
        Set<String> fields = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".d.ts")).toList()) {
                Matcher matcher = DECLARED_FIELD.matcher(Files.readString(file));
                while (matcher.find()) {
                    fields.add(matcher.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EckModels(dir, fields);
    }

    public boolean declares(String field) {
        return declaredFields.contains(field);
    }

    /** Per object: null when ECK's validator accepts it, else its message. */
    public List<String> validate(List<? extends JsonNode> objects) {
        try {
            Path script = Path.of(EckModels.class.getResource("/eck-validate.mjs").toURI());
            Process node = new ProcessBuilder("node", script.toString(), packageDir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ArrayNode input = JSON.createArrayNode();
            objects.forEach(input::add);
            try (var stdin = node.getOutputStream()) {
                stdin.write(JSON.writeValueAsBytes(input));
            }
            String output;
            try (InputStream stdout = node.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException("node eck-validate.mjs failed: " + output);
            }
            List<String> results = new ArrayList<>();
            JSON.readTree(output).forEach(result -> results.add(result.isNull() ? null : result.asText()));
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
