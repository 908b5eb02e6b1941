package dev.ringfence.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringfence.k8s.render.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Privilege where it is needed and nowhere else: the sensor gets exactly its capabilities and host access,
 * every other container runs as non-root with nothing added, RBAC is the minimum, nothing stores a secret.
 */
class LeastPrivilegeTest {
    private static final Set<String> SENSOR_CAPABILITIES = Set.of("BPF", "PERFMON", "SYS_ADMIN", "NET_ADMIN",
            "SYS_RESOURCE", "SYS_PTRACE", "KILL");

    @Test
    void theSensorHasExactlyItsCapabilitiesAndIsNotPrivileged() {
        for (String target : Manifests.TARGETS) {
            Resource sensor = Manifests.one(Manifests.rendered(target), "DaemonSet", "ringfence-sensor");
            JsonNode context = PodSpecs.container(sensor, "sensor").path("securityContext");
            assertThat(texts(context.at("/capabilities/add"))).containsExactlyInAnyOrderElementsOf(SENSOR_CAPABILITIES);
            assertThat(texts(context.at("/capabilities/drop"))).containsExactly("ALL");
            assertThat(context.path("privileged").asBoolean(true)).isFalse();
            assertThat(context.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(context.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            JsonNode pod = PodSpecs.podSpec(sensor);
            assertThat(pod.path("hostPID").asBoolean()).isTrue();
            assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
            assertThat(pod.at("/tolerations/0/operator").asText()).isEqualTo("Exists");
            assertThat(pod.path("priorityClassName").asText()).isEqualTo("ringfence-node-agent");
            assertThat(hostPaths(sensor)).containsExactlyInAnyOrder("/sys/fs/bpf", "/sys/kernel/btf", "/sys/kernel/tracing",
                    "/sys/fs/cgroup", "/var/lib/ringfence");
            assertThat(PodSpecs.container(sensor, "sensor").at("/resources/limits/memory").isTextual()).isTrue();
        }
    }

    @Test
    void everyOtherContainerIsNonRootWithNothingAddedAndNoHostAccess() {
        int checked = 0;
        for (Resource workload : Manifests.base()) {
            if (!Set.of("Deployment", "Job", "FlinkDeployment").contains(workload.kind())) {
                continue;
            }
            JsonNode pod = PodSpecs.podSpec(workload);
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(workload.toString()).isTrue();
            assertThat(pod.path("hostPID").asBoolean(false) || pod.path("hostNetwork").asBoolean(false)).isFalse();
            assertThat(hostPaths(workload)).as(workload.toString()).isEmpty();
            for (JsonNode container : PodSpecs.containers(workload)) {
                JsonNode context = container.path("securityContext");
                assertThat(texts(context.at("/capabilities/drop"))).as(workload + " " + container.path("name")).containsExactly("ALL");
                assertThat(context.at("/capabilities/add").isMissingNode()).isTrue();
                assertThat(context.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theSensorMayOnlyReadPodsAndNothingElseInTheClusterRole() {
        Resource role = Manifests.one(Manifests.base(), "ClusterRole", "ringfence-sensor");
        assertThat(role.body().path("rules")).hasSize(1);
        JsonNode rule = role.body().at("/rules/0");
        assertThat(texts(rule.path("resources"))).containsExactly("pods");
        assertThat(texts(rule.path("verbs"))).containsExactlyInAnyOrder("get", "list", "watch");
        List<Resource> clusterRoles = Manifests.ofKind(Manifests.base(), "ClusterRole");
        assertThat(clusterRoles).as("no other cluster-wide grant").hasSize(1);
    }

    @Test
    void theFeedbackServiceMayOnlyGetPodsInItsOwnNamespace() {
        Resource role = Manifests.one(Manifests.base(), "Role", "ringfence-feedback");
        assertThat(role.body().path("rules")).hasSize(1);
        assertThat(texts(role.body().at("/rules/0/resources"))).containsExactly("pods");
        assertThat(texts(role.body().at("/rules/0/verbs"))).containsExactly("get");
        Resource binding = Manifests.one(Manifests.base(), "RoleBinding", "ringfence-feedback");
        assertThat(binding.body().at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.body().at("/roleRef/name").asText()).isEqualTo("ringfence-feedback");
        assertThat(binding.body().at("/subjects/0/name").asText()).isEqualTo("ringfence-feedback");
        assertThat(binding.body().at("/subjects/0/namespace").asText()).isEqualTo(role.body().at("/metadata/namespace").asText());
    }

    @Test
    void bothFlinkJobsRunUnderTheFlinkServiceAccountOnly() {
        // the JobManager creates TaskManager pods and keeps HA metadata in ConfigMaps: that account and no other
        List<Resource> flink = Manifests.ofKind(Manifests.base(), "FlinkDeployment");
        assertThat(flink).extracting(Resource::name).containsExactlyInAnyOrder("ringfence-jobs", "ringfence-sinks");
        flink.forEach(deployment -> assertThat(deployment.body().at("/spec/serviceAccount").asText()).isEqualTo("ringfence-flink"));
        assertThat(Manifests.ofKind(Manifests.base(), "ServiceAccount")).extracting(Resource::name)
                .as("no unused accounts").doesNotContain("ringfence-sinks");
    }

    @Test
    void theRepositoryHoldsNoSecretOnlyReferencesToOnesOperatorsCreate() {
        assertThat(Manifests.ofKind(Manifests.base(), "Secret")).isEmpty();
        List<String> referenced = new ArrayList<>();
        for (Resource resource : Manifests.base()) {
            collectSecretNames(resource.body(), referenced);
        }
        List<String> created = new ArrayList<>();
        Manifests.ofKind(Manifests.base(), "Certificate").forEach(c -> created.add(c.body().at("/spec/secretName").asText()));
        Manifests.ofKind(Manifests.base(), "Elasticsearch").forEach(es -> created.addAll(List.of(
                es.name() + "-es-elastic-user", es.name() + "-es-http-certs-public")));
        Manifests.ofKind(Manifests.base(), "Kibana").forEach(kb -> created.add(kb.name() + "-kb-http-certs-public"));
        // Strimzi: the cluster CA's public certificate, and a Secret of the user's name per mTLS KafkaUser
        Manifests.ofKind(Manifests.base(), "Kafka").forEach(kafka -> created.add(kafka.name() + "-cluster-ca-cert"));
        Manifests.ofKind(Manifests.base(), "KafkaUser").stream()
                .filter(user -> user.body().at("/spec/authentication/type").asText().equals("tls"))
                .forEach(user -> created.add(user.name()));
        assertThat(referenced).isNotEmpty();
        assertThat(created).containsAll(referenced);
        for (String target : Manifests.TARGETS) {
            for (Resource resource : Manifests.rendered(target)) {
                assertThat(resource.body().toString()).as(resource.toString()).doesNotContain("-----BEGIN");
            }
        }
    }

    private static void collectSecretNames(JsonNode node, List<String> names) {
        if (node.isObject()) {
            if (node.has("secretName") && node.size() <= 3 && !node.has("issuerRef")) {
                names.add(node.path("secretName").asText());
            }
            if (node.has("secret") && node.path("secret").has("name")) {
                names.add(node.at("/secret/name").asText());
            }
            node.forEach(child -> collectSecretNames(child, names));
        } else if (node.isArray()) {
            node.forEach(child -> collectSecretNames(child, names));
        }
    }

    private static List<String> hostPaths(Resource workload) {
        List<String> paths = new ArrayList<>();
        PodSpecs.podSpec(workload).path("volumes").forEach(volume -> {
            if (volume.has("hostPath")) {
                paths.add(volume.at("/hostPath/path").asText());
            }
        });
        return paths;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }
}
