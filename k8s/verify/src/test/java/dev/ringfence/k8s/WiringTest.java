package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.k8s.render.Resource;
import dev.ringfence.k8s.source.Repo;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Names, labels, ports and images agree between the objects that refer to each other, in every target. */
class WiringTest {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "DaemonSet", "Job", "FlinkDeployment");

    @Test
    void servicesSelectPodsAndTargetTheirNamedPorts() {
        for (String target : Manifests.TARGETS) {
            List<Resource> resources = Manifests.rendered(target);
            for (Resource service : Manifests.ofKind(resources, "Service")) {
                List<Resource> selected = workloadsSelectedBy(resources, service.body().at("/spec/selector"));
                assertThat(selected).as(target + " " + service).hasSize(1);
                Map<String, Integer> ports = containerPorts(selected.getFirst());
                for (JsonNode port : service.body().at("/spec/ports")) {
                    String targetPort = port.path("targetPort").asText();
                    assertThat(ports).as(service + " targetPort " + targetPort).containsKey(targetPort);
                    assertThat(ports.get(targetPort)).isEqualTo(port.path("port").asInt());
                }
            }
        }
    }

    @Test
    void theNetworkPolicyGuardsTheFeedbackPodsPortsAndAdmitsOnlyRealPeers() {
        for (String target : Manifests.TARGETS) {
            List<Resource> resources = Manifests.rendered(target);
            Resource policy = Manifests.one(resources, "NetworkPolicy", "ringfence-feedback");
            List<Resource> guarded = workloadsSelectedBy(resources, policy.body().at("/spec/podSelector/matchLabels"));
            assertThat(guarded).extracting(Resource::name).containsExactly("ringfence-feedback");
            Set<Integer> ports = new HashSet<>(containerPorts(guarded.getFirst()).values());
            Set<String> peers = new HashSet<>();
            for (JsonNode rule : policy.body().at("/spec/ingress")) {
                rule.path("ports").forEach(port -> assertThat(ports).contains(port.path("port").asInt()));
                for (JsonNode from : rule.path("from")) {
                    if (from.has("podSelector")) {
                        List<Resource> admitted = workloadsSelectedBy(resources, from.at("/podSelector/matchLabels"));
                        assertThat(admitted).as("peer " + from + " selects pods").isNotEmpty();
                        admitted.forEach(workload -> peers.add(workload.name()));
                    }
                }
            }
            // sensors and the detection job, nobody else
            assertThat(peers).containsExactlyInAnyOrder("ringfence-sensor", "ringfence-jobs");
        }
    }

    @Test
    void theKafkaListenerAdmitsEveryRingfenceComponent() {
        List<Resource> resources = Manifests.base();
        JsonNode peers = Manifests.one(resources, "Kafka", "ringfence").body().at("/spec/kafka/listeners/0/networkPolicyPeers");
        List<Resource> admitted = workloadsSelectedBy(resources, peers.at("/0/podSelector/matchLabels"));
        assertThat(admitted).extracting(Resource::name)
                .contains("ringfence-sensor", "ringfence-feedback", "ringfence-jobs", "ringfence-sinks");
    }

    @Test
    void everyRingfenceImageIsFromTheOverlaysRegistryAndBuiltByTheDockerfile() {
        Map<String, String> registries = Map.of("base", "ringfence/", "overlays/dev", "localhost:5000/ringfence/",
                "overlays/production", "registry.example.com/ringfence/");
        Set<String> dockerTargets = Dockerfile.read().targets();
        registries.forEach((target, registry) -> {
            for (Resource workload : Manifests.rendered(target).stream().filter(r -> WORKLOADS.contains(r.kind())).toList()) {
                for (String image : images(workload)) {
                    if (image.contains("ringfence/")) {
                        assertThat(image).as(target + " " + workload).startsWith(registry).endsWith(":0.1.0");
                        String component = image.substring(registry.length(), image.lastIndexOf(':'));
                        assertThat(dockerTargets).as("a Dockerfile target builds " + image).contains(component);
                    } else {
                        assertThat(image).as("third-party images are pinned").matches(".+:[0-9][^:]*");
                    }
                }
            }
        });
    }

    @Test
    void probesUseExposedPortsAndThePathTheMetricsServerAnswers() {
        // both components serve metrics with Prometheus' HTTPServer, which answers /-/healthy while running
        assertThat(Repo.read("sensor/src/main/java/dev/ringfence/sensor/health/SensorMetrics.java")).contains("HTTPServer.builder()");
        assertThat(Repo.read("enforcement-feedback/service/src/main/java/dev/ringfence/feedback/server/FeedbackService.java"))
                .contains("HTTPServer");
        int probes = 0;
        for (Resource workload : List.of(Manifests.one(Manifests.base(), "DaemonSet", "ringfence-sensor"),
                Manifests.one(Manifests.base(), "Deployment", "ringfence-feedback"))) {
            Map<String, Integer> ports = containerPorts(workload);
            for (JsonNode container : PodSpecs.containers(workload)) {
                for (String kind : List.of("livenessProbe", "readinessProbe")) {
                    JsonNode probe = container.path(kind);
                    JsonNode action = probe.has("httpGet") ? probe.get("httpGet") : probe.path("tcpSocket");
                    assertThat(ports).as(workload + " " + kind).containsKey(action.path("port").asText());
                    if (probe.has("httpGet")) {
                        assertThat(action.path("path").asText()).isEqualTo("/-/healthy");
                    }
                    probes++;
                }
            }
        }
        assertThat(probes).isEqualTo(4);
    }

    @Test
    void thePodSelectorCheckWouldNoticeAMismatch() {
        assertThat(workloadsSelectedBy(Manifests.base(), new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("app.kubernetes.io/name", "ringfence-sensr"))).isEmpty();
    }

    static List<Resource> workloadsSelectedBy(List<Resource> resources, JsonNode matchLabels) {
        assertThat(matchLabels.size()).as("a selector with labels").isPositive();
        return resources.stream().filter(r -> WORKLOADS.contains(r.kind())).filter(workload -> {
            JsonNode labels = workload.kind().equals("FlinkDeployment")
                    ? workload.body().at("/spec/podTemplate/metadata/labels")
                    : workload.body().at("/spec/template/metadata/labels");
            boolean[] all = {true};
            matchLabels.fields().forEachRemaining(label ->
                    all[0] &= label.getValue().asText().equals(labels.path(label.getKey()).asText(null)));
            return all[0];
        }).toList();
    }

    private static Map<String, Integer> containerPorts(Resource workload) {
        Map<String, Integer> ports = new java.util.HashMap<>();
        for (JsonNode container : PodSpecs.containers(workload)) {
            container.path("ports").forEach(port -> ports.put(port.path("name").asText(), port.path("containerPort").asInt()));
        }
        return ports;
    }

    private static List<String> images(Resource workload) {
        List<String> images = new java.util.ArrayList<>();
        if (workload.kind().equals("FlinkDeployment")) {
            images.add(workload.body().at("/spec/image").asText());
        } else {
            PodSpecs.containers(workload).forEach(container -> images.add(container.path("image").asText()));
        }
        return images;
    }
}
