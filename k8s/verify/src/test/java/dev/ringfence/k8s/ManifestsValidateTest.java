package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.k8s.crd.CrdSchema;
import dev.ringfence.k8s.eck.EckModels;
import dev.ringfence.k8s.eck.EckResources;
import dev.ringfence.k8s.model.PublishedModels;
import dev.ringfence.k8s.render.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rendered object of every target validates against the schema of its kind: Kubernetes and operator
 * kinds against their published models (strict), ECK kinds against ECK's schema, ResponsePolicy against
 * our CRD. No rendered object goes unvalidated.
 */
class ManifestsValidateTest {
    static final EckResources ECK = new EckResources(EckModels.installed());

    @Test
    void everyObjectOfEveryTargetValidatesAgainstItsKindsSchema() {
        for (String target : Manifests.TARGETS) {
            List<Resource> resources = Manifests.rendered(target);
            CrdSchema policySchema = CrdSchema.of(Manifests.one(resources, "CustomResourceDefinition",
                    "responsepolicies.ringfence.dev"));
            List<Resource> eck = new ArrayList<>();
            for (Resource resource : resources) {
                if (EckResources.KINDS.contains(resource.kind())) {
                    eck.add(resource);
                } else if (resource.kind().equals("ResponsePolicy")) {
                    assertThat(policySchema.problems(resource.body())).as(target + " " + resource).isEmpty();
                } else {
                    assertThat(PublishedModels.problem(resource)).as(target + " " + resource).isEmpty();
                }
            }
            assertThat(eck).extracting(Resource::kind).containsExactlyInAnyOrder("Elasticsearch", "Kibana");
            assertThat(ECK.problems(eck)).as(target).allSatisfy(problems -> assertThat(problems).isEmpty());
        }
    }
}
