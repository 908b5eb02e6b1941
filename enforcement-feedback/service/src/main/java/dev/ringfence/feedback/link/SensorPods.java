package dev.ringfence.feedback.link;

import java.util.Optional;

/**
 * Which node a sensor pod runs on, for sensors whose certificate names their pod ({@code
 * ringfence://sensor-pod/<namespace>/<pod>/<uid>}) rather than their node: on Kubernetes, cert-manager's
 * csi-driver issues such certificates and cannot write the node name into them.
 */
public interface SensorPods {
    /** Refuses every sensor-pod identity: only {@code ringfence://node/<node>} certificates hold sensor links. */
    SensorPods NONE = (namespace, pod, uid) -> Optional.empty();

    /** The node of the pod with this namespace, name and uid if it is a sensor pod, else empty. */
    Optional<String> nodeOf(String namespace, String pod, String uid);
}
