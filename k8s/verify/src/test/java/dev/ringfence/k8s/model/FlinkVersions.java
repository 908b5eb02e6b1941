package dev.ringfence.k8s.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringfence.k8s.render.Resource;
import java.util.Set;

/**
 * The newest Flink operator API on Maven Central (1.10) predates Flink 2.x, so its FlinkVersion enum
 * stops at v1_20. The job is built for Flink 2.1: the manifests say v2_1, which needs an operator whose
 * enum knows it. Only that one field is mapped to a value 1.10 knows before the model reads the object;
 * anything else in flinkVersion is still refused.
 */
final class FlinkVersions {
    /** FlinkVersion values newer operators added (operator 1.11+ for v2_0, later for v2_1). */
    static final Set<String> NEWER_THAN_MODEL = Set.of("v2_0", "v2_1");

    private FlinkVersions() {}

    static ObjectNode comparable(Resource resource) {
        ObjectNode body = resource.body();
        String version = body.path("spec").path("flinkVersion").asText();
        if (!"FlinkDeployment".equals(resource.kind()) || !NEWER_THAN_MODEL.contains(version)) {
            return body;
        }
        ObjectNode copy = body.deepCopy();
        ((ObjectNode) copy.get("spec")).put("flinkVersion", "v1_20");
        return copy;
    }
}
