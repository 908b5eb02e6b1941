package dev.ringfence.feedback.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.feedback.ca.PeerIdentity;
import dev.ringfence.feedback.ca.Role;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A sensor-pod certificate holds the link of the node the API server binds that pod to, and nothing else. */
@EnableKubernetesMockClient(crud = true)
class SensorPodsTest {
    KubernetesClient client;

    /** Creates the pod; returns the uid the API server gave it. */
    private String pod(String namespace, String name, String uid, String ownerKind, String owner, String node) {
        Pod created = client.resource(build(namespace, name, uid, ownerKind, owner, node)).create();
        return created.getMetadata().getUid();
    }

    private static Pod build(String namespace, String name, String uid, String ownerKind, String owner, String node) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid(uid)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind).withName(owner).withUid("ds-uid")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).endSpec().build();
    }

    @Test
    void aRunningSensorPodResolvesToItsNode() {
        String uid = pod("ringfence", "ringfence-sensor-abcde", "uid-1", "DaemonSet", "ringfence-sensor", "worker-1");
        SensorPods pods = KubernetesSensorPods.of(client, "ringfence/ringfence-sensor");
        assertThat(pods.nodeOf("ringfence", "ringfence-sensor-abcde", uid)).contains("worker-1");

        PeerIdentity caller = new PeerIdentity(Role.SENSOR_POD, "ringfence/ringfence-sensor-abcde/" + uid);
        assertThat(SensorLinkService.nodeOf(caller, pods)).isEqualTo(new PeerIdentity(Role.NODE, "worker-1"));
    }

    @Test
    void anythingElseIsRefused() {
        String sensor = pod("ringfence", "ringfence-sensor-abcde", "uid-1", "DaemonSet", "ringfence-sensor", "worker-1");
        String impostor = pod("ringfence", "impostor", "uid-2", "Deployment", "ringfence-sensor", "worker-2");
        String otherDaemonSet = pod("ringfence", "other-ds", "uid-3", "DaemonSet", "something-else", "worker-3");
        String otherNamespace = pod("shop", "ringfence-sensor-x", "uid-4", "DaemonSet", "ringfence-sensor", "worker-4");
        String unscheduled = pod("ringfence", "ringfence-sensor-pending", "uid-5", "DaemonSet", "ringfence-sensor", null);
        SensorPods pods = KubernetesSensorPods.of(client, "ringfence/ringfence-sensor");
        assertThat(pods.nodeOf("ringfence", "ringfence-sensor-abcde", sensor)).as("the control case").contains("worker-1");
        assertThat(pods.nodeOf("ringfence", "ringfence-sensor-abcde", "uid-old")).as("recreated pod, old certificate").isEmpty();
        assertThat(pods.nodeOf("ringfence", "missing", "uid-9")).isEmpty();
        assertThat(pods.nodeOf("ringfence", "impostor", impostor)).as("not a DaemonSet pod").isEmpty();
        assertThat(pods.nodeOf("ringfence", "other-ds", otherDaemonSet)).as("another DaemonSet").isEmpty();
        assertThat(pods.nodeOf("shop", "ringfence-sensor-x", otherNamespace)).as("another namespace").isEmpty();
        assertThat(pods.nodeOf("ringfence", "ringfence-sensor-pending", unscheduled)).as("not bound to a node").isEmpty();

        PeerIdentity stale = new PeerIdentity(Role.SENSOR_POD, "ringfence/ringfence-sensor-abcde/uid-old");
        assertThatThrownBy(() -> SensorLinkService.nodeOf(stale, pods)).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> SensorLinkService.nodeOf(stale, SensorPods.NONE)).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void aNodeCertificateIsItsOwnNode() {
        PeerIdentity node = new PeerIdentity(Role.NODE, "worker-7");
        assertThat(SensorLinkService.nodeOf(node, (namespace, pod, uid) -> Optional.of("elsewhere"))).isEqualTo(node);
    }

    @Test
    void theDaemonSetReferenceIsNamespaceSlashName() {
        assertThatThrownBy(() -> KubernetesSensorPods.of(client, "ringfence-sensor")).hasMessageContaining("NAMESPACE/NAME");
    }
}
