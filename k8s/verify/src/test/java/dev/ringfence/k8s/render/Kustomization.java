package dev.ringfence.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code kustomize build} for the features k8s/ uses, and nothing else: resources (files and
 * directories), configMapGenerator (files, disableNameSuffixHash), patches (strategic merge, by name or
 * by a kind target), images, namespace. Any other key fails the build, so a kustomization can never use a
 * feature this renderer would silently skip. Files load only from inside the kustomization's directory,
 * as kustomize's default load restrictor demands; directories may be anywhere (bases).
 */
public final class Kustomization {
    private static final Set<String> KEYS = Set.of("apiVersion", "kind", "namespace", "resources", "images", "patches",
            "configMapGenerator");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "PriorityClass", "CustomResourceDefinition", "ClusterIssuer", "StorageClass");

    private final Path root;
    private final ObjectNode spec;
    private final List<Resource> resources = new ArrayList<>();
    private final Map<String, String> configMapNames = new HashMap<>();

    private Kustomization(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.spec = YamlDocuments.readOne(this.root.resolve("kustomization.yaml"));
    }

    /** Renders the kustomization in {@code directory}, like {@code kustomize build directory}. */
    public static List<Resource> build(Path directory) {
        return new Kustomization(directory).render().resources;
    }

    private Kustomization render() {
        spec.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw fail("'" + key + "' is not supported by this renderer");
            }
        });
        if (!"Kustomization".equals(spec.path("kind").asText())) {
            throw fail("kind must be Kustomization");
        }
        for (JsonNode entry : spec.path("resources")) {
            addResources(entry.asText());
        }
        for (JsonNode generator : spec.path("configMapGenerator")) {
            Resource configMap = ConfigMapGenerator.generate(root, (ObjectNode) generator);
            configMapNames.put(generator.path("name").asText(), configMap.name());
            resources.add(configMap);
        }
        for (JsonNode patch : spec.path("patches")) {
            applyPatch((ObjectNode) patch);
        }
        if (spec.has("namespace")) {
            setNamespace(spec.get("namespace").asText());
        }
        for (JsonNode image : spec.path("images")) {
            ImageRewrite rewrite = ImageRewrite.of((ObjectNode) image);
            resources.forEach(resource -> rewrite.apply(resource.body()));
        }
        resources.forEach(resource -> ConfigMapReferences.rename(resource, configMapNames));
        requireUniqueIds();
        return this;
    }

    private void addResources(String entry) {
        Path path = root.resolve(entry).normalize();
        if (Files.isDirectory(path)) {
            Kustomization base = new Kustomization(path).render();
            resources.addAll(base.resources);
            configMapNames.putAll(base.configMapNames);
        } else {
            for (ObjectNode document : YamlDocuments.read(inside(entry))) {
                resources.add(new Resource(document, root.relativize(path).toString()));
            }
        }
    }

    private void applyPatch(ObjectNode entry) {
        entry.fieldNames().forEachRemaining(key -> {
            if (!key.equals("path") && !key.equals("target")) {
                throw fail("patch key '" + key + "' is not supported by this renderer");
            }
        });
        ObjectNode patch = YamlDocuments.readOne(inside(entry.path("path").asText()));
        JsonNode target = entry.get("target");
        String kind = target != null ? target.path("kind").asText() : patch.path("kind").asText();
        String name = target != null ? target.path("name").asText(null) : patch.path("metadata").path("name").asText();
        if (target != null) {
            // with a target the patch's own name is a placeholder: it must not rename what it patches
            ((ObjectNode) patch.path("metadata")).remove("name");
        }
        int applied = 0;
        for (Resource resource : resources) {
            if (resource.kind().equals(kind) && (name == null || resource.name().equals(name))) {
                StrategicMerge.apply(resource, patch);
                applied++;
            }
        }
        if (applied == 0) {
            throw fail("patch " + entry.path("path").asText() + " matches no resource (" + kind + "/" + name + ")");
        }
    }

    private void setNamespace(String namespace) {
        for (Resource resource : resources) {
            if (!CLUSTER_SCOPED.contains(resource.kind())) {
                ((ObjectNode) resource.body().path("metadata")).put("namespace", namespace);
            }
            // kustomize also moves the service accounts that (Cluster)RoleBindings name
            for (JsonNode subject : resource.body().path("subjects")) {
                if ("ServiceAccount".equals(subject.path("kind").asText())) {
                    ((ObjectNode) subject).put("namespace", namespace);
                }
            }
        }
    }

    private void requireUniqueIds() {
        Set<String> seen = new HashSet<>();
        for (Resource resource : resources) {
            if (!seen.add(resource.group() + ":" + resource.id() + ":" + resource.namespace())) {
                throw fail("two resources with the id " + resource.id());
            }
        }
    }

    private Path inside(String entry) {
        Path path = root.resolve(entry).normalize();
        if (!path.startsWith(root)) {
            throw fail("'" + entry + "' is outside the kustomization root (kustomize's load restrictor refuses it)");
        }
        if (!Files.isRegularFile(path)) {
            throw fail("'" + entry + "' does not exist");
        }
        return path;
    }

    private IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(root + "/kustomization.yaml: " + message);
    }

    /** The resources by kind/name, for tests that look one up. */
    public static Map<String, Resource> byId(List<Resource> resources) {
        Map<String, Resource> byId = new LinkedHashMap<>();
        resources.forEach(resource -> byId.put(resource.id(), resource));
        return byId;
    }
}
