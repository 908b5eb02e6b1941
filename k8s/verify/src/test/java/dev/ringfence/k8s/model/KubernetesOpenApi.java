package dev.ringfence.k8s.model;

import dev.ringfence.k8s.npm.NpmValidators;
import dev.ringfence.k8s.render.Resource;
import java.util.List;
import java.util.Set;

/**
 * Kubernetes' own OpenAPI schemas for the built-in kinds, as compiled by the npm package kubernetes-models.
 * They check what the Java models leave to strings: enum values (a Service port's protocol, a container's
 * imagePullPolicy, an update strategy's type) and formats. Unknown keys are the Java models' part.
 */
public final class KubernetesOpenApi {
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "policy", "networking.k8s.io",
            "scheduling.k8s.io", "rbac.authorization.k8s.io", "apiextensions.k8s.io");
    private static final NpmValidators VALIDATORS = NpmValidators.of("kubernetes-models");

    private KubernetesOpenApi() {}

    public static boolean covers(Resource resource) {
        return BUILT_IN_GROUPS.contains(resource.group());
    }

    /** Per object: null when Kubernetes' schema accepts it, else the validator's message. */
    public static List<String> problems(List<Resource> resources) {
        return VALIDATORS.validate(resources.stream().map(Resource::body).toList());
    }
}
