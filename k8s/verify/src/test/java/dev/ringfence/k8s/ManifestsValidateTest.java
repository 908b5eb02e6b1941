package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.k8s.crd.CrdSchema;
import dev.ringfence.k8s.eck.EckModels;
import dev.ringfence.k8s.eck.EckResources;
import dev.ringfence.k8s.model.KubernetesOpenApi;
import dev.ringfence.k8s.model.PublishedModels;
import dev.ringfence.k8s.render.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rendered object of every target validates against the schema of its kind: Kubernetes and operator
 * kinds against their published models (strict), built-in kinds also against Kubernetes' OpenAPI, ECK kinds
 * against ECK's schema, ResponsePolicy against our CRD. No rendered object goes unvalidated.
 */
class ManifestsValidateTest {
    static final EckResources ECK = new EckResources(EckModels.installed());

    @Test
    void everyObjectOfEveryTargetValidatesAgainstItsKindsSchema() {
        List<Resource> eck = new ArrayList<>();
        for (String target : Manifests.TARGETS) {
            List<Resource> resources = Manifests.rendered(target);
            CrdSchema policySchema = CrdSchema.of(Manifests.one(resources, "CustomResourceDefinition",
                    "responsepolicies.ringfence.dev"));
            for (Resource resource : resources) {
                if (EckResources.KINDS.contains(resource.kind())) {
                    eck.add(resource);
                } else if (resource.kind().equals("ResponsePolicy")) {
                    assertThat(policySchema.problems(resource.body())).as(target + " " + resource).isEmpty();
                } else {
                    assertThat(PublishedModels.problem(resource)).as(target + " " + resource).isEmpty();
                }
            }
        }
        // Elasticsearch and Kibana of each target, checked in one node run
        assertThat(eck).extracting(Resource::kind).containsOnly("Elasticsearch", "Kibana").hasSize(2 * Manifests.TARGETS.size());
        List<List<String>> problems = ECK.problems(eck);
        for (int i = 0; i < eck.size(); i++) {
            assertThat(problems.get(i)).as(eck.get(i).toString()).isEmpty();
        }
    }

    @Test
    void builtInKindsAlsoPassKubernetesOwnOpenApiSchema() {
        List<Resource> builtIn = Manifests.TARGETS.stream().flatMap(target -> Manifests.rendered(target).stream())
                .filter(KubernetesOpenApi::covers).toList();
        assertThat(builtIn).hasSizeGreaterThan(20 * Manifests.TARGETS.size());
        List<String> problems = KubernetesOpenApi.problems(builtIn);
        for (int i = 0; i < builtIn.size(); i++) {
            assertThat(problems.get(i)).as(builtIn.get(i).toString()).isNull();
        }
    }
}
