package dev.ringfence.feedback.link;

import dev.ringfence.feedback.ca.CertificateNames;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sensor pods from the API server: a pod is a sensor pod of node N when it exists in the sensor DaemonSet's
 * namespace with the certificate's name and uid (a pod recreated under the same name has another uid, so an old
 * certificate names no pod), is controlled by that DaemonSet, and is bound to N ({@code spec.nodeName}).
 * Needs {@code get} on pods in that namespace. Any doubt, including an unreachable API server, refuses.
 */
public final class KubernetesSensorPods implements SensorPods {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSensorPods.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String daemonSet;

    public KubernetesSensorPods(KubernetesClient client, String namespace, String daemonSet) {
        this.client = client;
        this.namespace = CertificateNames.require(namespace, "sensor DaemonSet namespace");
        this.daemonSet = CertificateNames.require(daemonSet, "sensor DaemonSet");
    }

    /** {@code NAMESPACE/NAME} of the sensor DaemonSet, as {@code --sensor-daemonset} takes it. */
    public static KubernetesSensorPods of(KubernetesClient client, String daemonSetRef) {
        String[] parts = daemonSetRef == null ? new String[0] : daemonSetRef.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("sensor DaemonSet must be NAMESPACE/NAME, got '" + daemonSetRef + "'");
        }
        return new KubernetesSensorPods(client, parts[0], parts[1]);
    }

    @Override
    public Optional<String> nodeOf(String podNamespace, String pod, String uid) {
        if (!namespace.equals(podNamespace)) {
            LOG.warn("event=sensor_pod_refused pod={}/{} reason=\"not in the sensor DaemonSet's namespace {}\"", podNamespace, pod, namespace);
            return Optional.empty();
        }
        Pod found;
        try {
            found = client.pods().inNamespace(namespace).withName(pod).get();
        } catch (KubernetesClientException e) {
            LOG.warn("event=sensor_pod_refused pod={}/{} reason=\"API server: {}\"", podNamespace, pod, e.getMessage());
            return Optional.empty();
        }
        String reason = null;
        if (found == null) {
            reason = "no such pod";
        } else if (!uid.equals(found.getMetadata().getUid())) {
            reason = "the pod of that name has another uid";
        } else if (found.getMetadata().getOwnerReferences().stream().noneMatch(this::isSensorDaemonSet)) {
            reason = "not controlled by DaemonSet " + daemonSet;
        } else if (found.getSpec() == null || found.getSpec().getNodeName() == null
                || !CertificateNames.isValid(found.getSpec().getNodeName())) {
            reason = "not bound to a node";
        }
        if (reason != null) {
            LOG.warn("event=sensor_pod_refused pod={}/{} uid={} reason=\"{}\"", podNamespace, pod, uid, reason);
            return Optional.empty();
        }
        return Optional.of(found.getSpec().getNodeName());
    }

    private boolean isSensorDaemonSet(OwnerReference owner) {
        return "DaemonSet".equals(owner.getKind()) && "apps/v1".equals(owner.getApiVersion())
                && daemonSet.equals(owner.getName()) && Boolean.TRUE.equals(owner.getController());
    }
}
