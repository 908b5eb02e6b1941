package dev.ringfence.sensor.identity;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pods of this node, kept current by a watch (field selector spec.nodeName=<node>), by pod uid. */
public final class PodDirectory implements AutoCloseable {
    /** What a pod says about one of its containers. */
    public record PodView(String namespace, String podName, String podUid, Map<String, String> labels,
                          String serviceAccount, String workloadKind, String workloadName, List<String> podIps,
                          List<ContainerStatus> containers) {}

    private static final Logger LOG = LoggerFactory.getLogger(PodDirectory.class);
    private static final long RESYNC_MILLIS = 10 * 60 * 1000L;

    private final Map<String, PodView> pods = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;
    private final String node;

    /** Watches the pods the API server schedules on this node (field selector spec.nodeName=<node>). */
    public static PodDirectory ofNode(KubernetesClient client, String node, Consumer<String> changed) {
        return new PodDirectory(client.pods().inAnyNamespace().withField("spec.nodeName", node), node, changed);
    }

    /** Watches the given pods, keeping those scheduled on the node. */
    PodDirectory(Informable<Pod> source, String node, Consumer<String> changed) {
        this.node = node;
        this.informer = source.inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                put(pod, changed);
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                put(after, changed);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                String uid = pod.getMetadata().getUid();
                pods.remove(uid);
                changed.accept(uid);
            }
        }, RESYNC_MILLIS);
        LOG.info("kubernetes pod_watch=started node={}", node);
    }

    public Optional<PodView> byUid(String uid) {
        return Optional.ofNullable(pods.get(uid));
    }

    private void put(Pod pod, Consumer<String> changed) {
        if (pod.getSpec() == null || !node.equals(pod.getSpec().getNodeName())) {
            return; // the field selector already filters; never trust a watch to be exact
        }
        PodView view = view(pod);
        PodView previous = pods.put(view.podUid(), view);
        if (!view.equals(previous)) {
            changed.accept(view.podUid());
        }
    }

    static PodView view(Pod pod) {
        var metadata = pod.getMetadata();
        Map<String, String> labels = metadata.getLabels() == null ? Map.of() : Map.copyOf(metadata.getLabels());
        String kind = "Pod";
        String name = metadata.getName();
        List<OwnerReference> owners = metadata.getOwnerReferences() == null ? List.of() : metadata.getOwnerReferences();
        for (OwnerReference owner : owners) {
            if (!Boolean.TRUE.equals(owner.getController())) {
                continue;
            }
            kind = owner.getKind();
            name = owner.getName();
            String hash = labels.get("pod-template-hash");
            if (kind.equals("ReplicaSet") && hash != null && name.endsWith("-" + hash)) {
                kind = "Deployment";
                name = name.substring(0, name.length() - hash.length() - 1);
            }
        }
        var status = pod.getStatus();
        List<String> ips = status == null || status.getPodIPs() == null ? List.of()
                : status.getPodIPs().stream().map(PodIP::getIp).toList();
        List<ContainerStatus> containers = status == null || status.getContainerStatuses() == null ? List.of()
                : List.copyOf(status.getContainerStatuses());
        String serviceAccount = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        return new PodView(metadata.getNamespace(), metadata.getName(), metadata.getUid(), labels, serviceAccount,
                kind, name, ips, containers);
    }

    @Override
    public void close() {
        informer.close();
    }
}
