package dev.ringfence.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.k8s.render.Resource;
import java.util.ArrayList;
import java.util.List;

/** Where the pod spec and containers of each workload kind live. */
final class PodSpecs {
    private PodSpecs() {}

    static JsonNode podSpec(Resource workload) {
        return switch (workload.kind()) {
            case "Deployment", "DaemonSet", "Job" -> workload.body().at("/spec/template/spec");
            case "FlinkDeployment" -> workload.body().at("/spec/podTemplate/spec");
            default -> throw new AssertionError("not a workload: " + workload);
        };
    }

    static JsonNode container(Resource workload, String name) {
        for (JsonNode container : containers(workload)) {
            if (container.path("name").asText().equals(name)) {
                return container;
            }
        }
        throw new AssertionError("no container " + name + " in " + workload);
    }

    static List<JsonNode> containers(Resource workload) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec(workload).path("initContainers").forEach(containers::add);
        podSpec(workload).path("containers").forEach(containers::add);
        return containers;
    }

    /** The volume mounted at the directory holding {@code file} (the deepest mount, as nested mounts shadow), or an AssertionError. */
    static JsonNode volumeHolding(Resource workload, JsonNode container, String file) {
        JsonNode mount = mountHolding(container, file);
        if (mount != null) {
            for (JsonNode volume : podSpec(workload).path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText())) {
                    return volume;
                }
            }
        }
        throw new AssertionError(file + " is on no volume of " + workload);
    }

    /** The deepest volume mount whose directory is {@code file} or holds it, or null. */
    private static JsonNode mountHolding(JsonNode container, String file) {
        JsonNode deepest = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            String dir = mount.path("mountPath").asText();
            if ((file.equals(dir) || file.startsWith(dir + "/"))
                    && (deepest == null || dir.length() > deepest.path("mountPath").asText().length())) {
                deepest = mount;
            }
        }
        return deepest;
    }

    /** The path of {@code file} relative to the (deepest) mount that holds it. */
    static String insideMount(JsonNode container, String file) {
        JsonNode mount = mountHolding(container, file);
        String dir = mount == null ? null : mount.path("mountPath").asText();
        if (dir == null || !file.startsWith(dir + "/")) {
            throw new AssertionError(file + " is under no mount");
        }
        return file.substring(dir.length() + 1);
    }
}
