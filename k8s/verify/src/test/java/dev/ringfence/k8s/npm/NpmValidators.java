package dev.ringfence.k8s.npm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The schema validators compiled into a kubernetes-models npm package, run with node over a batch of
 * objects. The build installs the packages into target/npm-models (the pom's npm execution).
 */
public final class NpmValidators {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path packageDir;

    private NpmValidators(Path packageDir) {
        this.packageDir = packageDir;
    }

    /** An installed package, e.g. "kubernetes-models" or "@kubernetes-models/elastic-cloud". */
    public static NpmValidators of(String packageName) {
        Path dir = Path.of(System.getProperty("npm.models", "target/npm-models/node_modules")).resolve(packageName);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(packageName + " is not installed at " + dir + " (the build's npm step installs it)");
        }
        return new NpmValidators(dir);
    }

    public Path packageDir() {
        return packageDir;
    }

    /** Per object: null when the package's validator accepts it, else its message. */
    public List<String> validate(List<? extends JsonNode> objects) {
        try {
            Path script = Path.of(NpmValidators.class.getResource("/npm-models-validate.mjs").toURI());
            Process node = new ProcessBuilder("node", script.toString(), packageDir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ArrayNode input = JSON.createArrayNode();
            objects.forEach(input::add);
            try (OutputStream stdin = node.getOutputStream()) {
                stdin.write(JSON.writeValueAsBytes(input));
            }
            String output;
            try (InputStream stdout = node.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException("node npm-models-validate.mjs failed: " + output);
            }
            List<String> results = new ArrayList<>();
            JSON.readTree(output).forEach(result -> results.add(result.isNull() ? null : result.asText()));
            if (results.size() != objects.size()) {
                throw new IllegalStateException("node answered " + results.size() + " results for " + objects.size() + " objects");
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
