package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.k8s.render.Kustomization;
import dev.ringfence.k8s.render.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each overlay renders (kustomize build equivalent), and the transformations land where they should. */
class OverlaysRenderTest {
    @Test
    void everyTargetRendersTheSameSetOfObjects() {
        List<String> baseIds = Manifests.base().stream().map(Resource::id).sorted().toList();
        assertThat(baseIds).hasSizeGreaterThan(40);
        for (String target : Manifests.TARGETS) {
            assertThat(Manifests.rendered(target).stream().map(Resource::id).sorted().toList()).as(target).isEqualTo(baseIds);
        }
    }

    @Test
    void namespacedObjectsLandInTheRingfenceNamespaceAndClusterObjectsStayClusterWide() {
        for (Resource resource : Manifests.rendered("overlays/production")) {
            boolean clusterScoped = List.of("Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass",
                    "CustomResourceDefinition").contains(resource.kind());
            assertThat(resource.namespace()).as(resource.toString()).isEqualTo(clusterScoped ? null : "ringfence");
        }
        Resource binding = Manifests.one(Manifests.base(), "ClusterRoleBinding", "ringfence-sensor");
        assertThat(binding.body().at("/subjects/0/namespace").asText()).isEqualTo("ringfence");
    }

    @Test
    void theDevOverlayShrinksEveryStatefulPiece() {
        List<Resource> dev = Manifests.rendered("overlays/dev");
        assertThat(Manifests.ofKind(dev, "KafkaTopic")).hasSize(8).allSatisfy(topic -> {
            assertThat(topic.body().at("/spec/replicas").asInt()).isEqualTo(1);
            assertThat(topic.body().at("/spec/config/min.insync.replicas").asInt()).isEqualTo(1);
            // the target patch's placeholder name must not rename the topics
            assertThat(topic.name()).startsWith("ringfence.");
            // merged, not replaced: the base's settings survive
            assertThat(topic.body().at("/spec/config/cleanup.policy").isTextual()).isTrue();
        });
        assertThat(Manifests.one(dev, "KafkaNodePool", "dual").body().at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(Manifests.one(dev, "Elasticsearch", "ringfence").body().at("/spec/nodeSets/0/count").asInt()).isEqualTo(1);
        Resource budget = Manifests.one(dev, "PodDisruptionBudget", "ringfence-feedback");
        assertThat(budget.body().at("/spec").has("minAvailable")).isFalse();
        assertThat(budget.body().at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    }

    @Test
    void aPatchOfABuiltInKindMergesContainersByName() {
        Resource sensor = Manifests.one(Manifests.rendered("overlays/production"), "DaemonSet", "ringfence-sensor");
        var container = sensor.body().at("/spec/template/spec/containers/0");
        assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("200m");
        // everything else of the container is the base's
        assertThat(container.at("/securityContext/capabilities/add").size()).isEqualTo(7);
        assertThat(container.at("/image").asText()).isEqualTo("registry.example.com/ringfence/sensor:0.1.0");
    }

    @Test
    void generatedConfigMapsAreHashedAndTheWorkloadsFollowTheNewName() {
        List<Resource> base = Manifests.base();
        Resource config = base.stream().filter(r -> r.name().startsWith("ringfence-sensor-config-")).findFirst().orElseThrow();
        Resource sensor = Manifests.one(base, "DaemonSet", "ringfence-sensor");
        assertThat(sensor.body().at("/spec/template/spec/volumes/0/configMap/name").asText()).isEqualTo(config.name());
        assertThat(config.body().at("/data/sensor.properties").asText()).contains("kubernetes=true");
    }

    @Test
    void brokenKustomizationsDoNotRender(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - missing.yaml
                """);
        assertThatThrownBy(() -> Kustomization.build(dir)).hasMessageContaining("'missing.yaml' does not exist");

        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        Files.writeString(dir.resolve("patch.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {x: y}\n");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [cm.yaml]
                patches:
                  - path: patch.yaml
                """);
        assertThatThrownBy(() -> Kustomization.build(dir)).hasMessageContaining("matches no resource");

        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [cm.yaml]
                commonLabels: {a: b}
                """);
        assertThatThrownBy(() -> Kustomization.build(dir)).hasMessageContaining("'commonLabels' is not supported");

        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                configMapGenerator:
                  - name: escape
                    files: [../outside.txt]
                """);
        assertThatThrownBy(() -> Kustomization.build(dir)).hasMessageContaining("outside");
    }
}
