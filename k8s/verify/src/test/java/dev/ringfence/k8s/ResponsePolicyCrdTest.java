package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.k8s.crd.CrdSchema;
import dev.ringfence.k8s.crd.StructuralRules;
import dev.ringfence.k8s.render.Resource;
import dev.ringfence.k8s.source.ComponentSources;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ResponsePolicy CRD: a structural schema, strict enough to refuse typos, and in step with the job's code. */
class ResponsePolicyCrdTest {
    private static final Resource CRD = Manifests.one(Manifests.base(), "CustomResourceDefinition", "responsepolicies.ringfence.dev");
    private static final Resource SAMPLE = Manifests.one(Manifests.base(), "ResponsePolicy", "cluster");
    private static final CrdSchema SCHEMA = CrdSchema.of(CRD);

    @Test
    void theSchemaIsStructuralAsTheApiServerRequires() {
        assertThat(StructuralRules.violations(SCHEMA.openApiSchema())).isEmpty();
    }

    @Test
    void theStructuralRulesThemselvesCatchAViolation() {
        JsonNode broken = SCHEMA.openApiSchema().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.at("/properties/spec/properties/defaults")).remove("type");
        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.at("/properties/spec")).put("additionalProperties", false);
        assertThat(StructuralRules.violations(broken)).hasSize(2);
    }

    @Test
    void theSampleIsAccepted() {
        assertThat(SCHEMA.problems(SAMPLE.body())).isEmpty();
    }

    @Test
    void theJobsOwnExamplePolicyIsAcceptedToo() {
        var example = dev.ringfence.k8s.render.YamlDocuments.readOne(
                dev.ringfence.k8s.source.Repo.path("jobs/examples/response-policy.yaml"));
        assertThat(SCHEMA.problems(example)).isEmpty();
    }

    static Stream<Mutation> brokenPolicies() {
        return Stream.of(
                Mutation.rename("/spec/defaults/responses/0/detector", "detecter"),
                Mutation.rename("/spec/overrides/0/match", "matches"),
                Mutation.rename("/spec/decisionValiditySeconds", "decisionValidity"),
                Mutation.set("/spec/defaults/mode", "enforcing"),
                Mutation.set("/spec/defaults/mode", "Enforce"),
                Mutation.set("/spec/defaults/responses/0/action", "QUARANTINE"),
                Mutation.set("/spec/defaults/responses/0/action", "RELEASE"),
                Mutation.set("/spec/defaults/responses/0/detector", "RF-SCAN-002"),
                Mutation.set("/spec/defaults/responses/0/minSeverity", "SEVERE"),
                Mutation.set("/spec/defaults/responses/2/ttlSeconds", "\"1h\""),
                Mutation.set("/spec/defaults/responses/2/ttlSeconds", "-5"),
                Mutation.set("/spec/decisionValiditySeconds", "0"),
                Mutation.set("/spec/overrides/0/match", "{namespace: payments, workloadKey: payments/Deployment/api}"),
                Mutation.set("/spec/overrides/0/match/namespace", "Payments_NS"),
                Mutation.set("/spec/defaults/responses/1/detector", "RF-CHAIN-001"),
                Mutation.set("/spec/overrides/1/name", "payments-enforce"),
                Mutation.remove("/spec/defaults/mode"),
                Mutation.remove("/spec/defaults/responses"),
                Mutation.remove("/spec/overrides/0/mode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPolicies")
    void aBrokenPolicyIsRefused(Mutation mutation) {
        assertThat(SCHEMA.problems(mutation.applyTo(SAMPLE).body())).isNotEmpty();
    }

    @Test
    void enumsMatchWhatTheJobAccepts() {
        JsonNode response = SCHEMA.openApiSchema().at("/properties/spec/properties/defaults/properties/responses/items/properties");
        assertThat(texts(response.at("/detector/enum"))).isEqualTo(ComponentSources.ruleIds());
        assertThat(texts(response.at("/action/enum"))).isEqualTo(ComponentSources.actionableActions());
        assertThat(texts(response.at("/minSeverity/enum"))).isEqualTo(ComponentSources.severities());
        // overrides carry the same response item (a CRD cannot $ref it)
        assertThat(SCHEMA.openApiSchema().at("/properties/spec/properties/overrides/items/properties/responses/items"))
                .isEqualTo(SCHEMA.openApiSchema().at("/properties/spec/properties/defaults/properties/responses/items"));
    }

    @Test
    void theCrdIsTheKindTheJobReads() {
        String policyClass = dev.ringfence.k8s.source.Repo.read("jobs/src/main/java/dev/ringfence/jobs/respond/ResponsePolicy.java");
        assertThat(policyClass).contains("API_VERSION = \"" + CRD.body().at("/spec/group").asText() + "/"
                + CRD.body().at("/spec/versions/0/name").asText() + "\"");
        assertThat(policyClass).contains("KIND = \"" + CRD.body().at("/spec/names/kind").asText() + "\"");
        assertThat(SAMPLE.apiVersion()).isEqualTo("ringfence.dev/v1alpha1");
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new HashSet<>();
        array.forEach(value -> texts.add(value.asText()));
        assertThat(texts).isNotEmpty();
        return texts;
    }
}
