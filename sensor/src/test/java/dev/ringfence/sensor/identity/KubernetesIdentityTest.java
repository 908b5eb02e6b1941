package dev.ringfence.sensor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.IdentityChange;
import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.WorkloadIdentity;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods from a Kubernetes API test server (fabric8 mock server in CRUD mode): watch, cache, changes, deletion. */
@EnableKubernetesMockClient(crud = true)
class KubernetesIdentityTest {
    private static final String CONTAINER = "a".repeat(64);
    private static final String OTHER_CONTAINER = "b".repeat(64);

    static KubernetesClient client;

    @TempDir
    Path cgroupRoot;

    @Test
    void aContainerCgroupResolvesToItsPodAndFollowsItsChanges() {
        // the server assigns pod uids, as a real API server does
        String uid = client.pods().inNamespace("shop").resource(pod("web-7d9f8-x2x4k", "node-1")).create().getMetadata().getUid();
        String otherUid = client.pods().inNamespace("shop").resource(pod("web-7d9f8-other", "node-2")).create().getMetadata().getUid();
        CgroupTree tree = new CgroupTree(cgroupRoot);
        tree.remember(101, "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + uid.replace('-', '_')
                + ".slice/cri-containerd-" + CONTAINER + ".scope");
        tree.remember(102, "/kubepods.slice/kubepods-pod" + otherUid.replace('-', '_') + ".slice/cri-containerd-" + OTHER_CONTAINER + ".scope");
        List<IdentityUpdate> updates = new CopyOnWriteArrayList<>();
        IdentityResolver resolver = new IdentityResolver("node-1", "c1", tree, List.of(), updates::add);
        // The mock server cannot evaluate the spec.nodeName field selector PodDirectory.ofNode sends (it
        // answers no pods), so this watches all pods: the directory must still keep only node-1's.
        try (PodDirectory pods = new PodDirectory(client.pods().inAnyNamespace(), "node-1", resolver::podChanged)) {
            resolver.usePods(pods);
            await(() -> pods.byUid(uid).isPresent());

            WorkloadIdentity identity = resolver.identityOf(101);
            assertThat(identity.getSource()).isEqualTo(IdentitySource.KUBERNETES);
            assertThat(identity.getWorkloadKey()).isEqualTo("shop/Deployment/web");
            assertThat(identity.getWorkloadKind()).isEqualTo("Deployment");
            assertThat(identity.getPodName()).isEqualTo("web-7d9f8-x2x4k");
            assertThat(identity.getContainerId()).isEqualTo(CONTAINER);
            assertThat(identity.getContainerName()).isEqualTo("app");
            assertThat(identity.getImage()).isEqualTo("shop/web:1");
            assertThat(identity.getPodIps()).containsExactly("10.1.2.3");
            assertThat(identity.getServiceAccount()).isEqualTo("web-sa");
            assertThat(identity.getLabels()).containsEntry("version", "v1");
            assertThat(updates).extracting(IdentityUpdate::getWorkload).contains(identity);

            // a pod of another node is not this sensor's business, even if the watch delivered it
            assertThat(pods.byUid(otherUid)).isEmpty();
            assertThat(resolver.identityOf(102).getSource()).isNotEqualTo(IdentitySource.KUBERNETES);

            client.pods().inNamespace("shop").withName("web-7d9f8-x2x4k").edit(pod -> new PodBuilder(pod)
                    .editMetadata().addToLabels("version", "v2").endMetadata().build());
            await(() -> updates.stream().anyMatch(update -> "v2".equals(update.getWorkload().getLabels().get("version"))));
            assertThat(resolver.identityOf(101).getLabels()).containsEntry("version", "v2");

            client.pods().inNamespace("shop").withName("web-7d9f8-x2x4k").delete();
            await(() -> updates.stream().anyMatch(update -> update.getChange() == IdentityChange.DELETE));
            assertThat(updates.getLast().getWorkload().getPodUid()).isEqualTo(uid);
        }
    }

    private static Pod pod(String name, String node) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("shop")
                .addToLabels("app", "web").addToLabels("pod-template-hash", "7d9f8").addToLabels("version", "v1")
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-7d9f8").withController(true)
                .withApiVersion("apps/v1").withUid("rs-uid").endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(node).withServiceAccountName("web-sa").endSpec()
                .withNewStatus().addNewPodIP("10.1.2.3").withContainerStatuses(new ContainerStatusBuilder()
                        .withName("app").withImage("shop/web:1").withContainerID("containerd://" + CONTAINER).build())
                .endStatus()
                .build();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
