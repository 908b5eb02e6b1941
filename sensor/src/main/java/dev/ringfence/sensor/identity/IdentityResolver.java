package dev.ringfence.sensor.identity;

import dev.ringfence.contract.IdentityChange;
import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.WorkloadIdentity;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * cgroup id -> workload. A container's cgroup resolves through its pod (Kubernetes); anything else
 * is a local-host workload: a cgroup declared in the workload file (longest match), a systemd unit,
 * a plain cgroup, or the host itself. Results are cached and re-resolved after a while; every new
 * or changed identity is announced as an IdentityUpdate.
 */
public final class IdentityResolver {
    private record Cached(WorkloadIdentity identity, long resolvedNanos) {}

    private static final long TTL_NANOS = 60_000_000_000L;
    private static final int MAX_CACHED = 16_384;

    private final String node;
    private final String cluster;
    private final CgroupTree tree;
    private final List<LocalWorkload> workloads = new CopyOnWriteArrayList<>();
    private final Consumer<IdentityUpdate> updates;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();
    private volatile PodDirectory pods;

    public IdentityResolver(String node, String cluster, CgroupTree tree, List<LocalWorkload> workloads,
                            Consumer<IdentityUpdate> updates) {
        this.node = node;
        this.cluster = cluster;
        this.tree = tree;
        this.updates = updates;
        workloads.forEach(this::register);
    }

    public void usePods(PodDirectory directory) {
        this.pods = directory;
    }

    /** Declares (or redeclares) a local workload; cached identities are re-resolved against it. */
    public void register(LocalWorkload workload) {
        workloads.removeIf(existing -> existing.name().equals(workload.name()));
        workloads.add(workload);
        refresh(cached -> true);
    }

    /** A pod of this node changed (its workloads are announced again) or went away (announced deleted). */
    public void podChanged(String podUid) {
        PodDirectory directory = pods;
        if (directory != null && directory.byUid(podUid).isEmpty()) {
            for (Map.Entry<Long, Cached> entry : cache.entrySet()) {
                WorkloadIdentity gone = entry.getValue().identity();
                if (podUid.equals(gone.getPodUid()) && gone.getSource() == IdentitySource.KUBERNETES) {
                    cache.remove(entry.getKey());
                    updates.accept(new IdentityUpdate(IdentityChange.DELETE, gone));
                }
            }
            return;
        }
        refresh(cached -> podUid.equals(cached.getPodUid()));
    }

    public WorkloadIdentity identityOf(long cgroupId) {
        Cached cached = cache.get(cgroupId);
        if (cached != null && System.nanoTime() - cached.resolvedNanos() < TTL_NANOS) {
            return cached.identity();
        }
        return resolveAndAnnounce(cgroupId, cached == null ? null : cached.identity());
    }

    private WorkloadIdentity resolveAndAnnounce(long cgroupId, WorkloadIdentity previous) {
        WorkloadIdentity identity = resolve(cgroupId);
        if (cache.size() >= MAX_CACHED) {
            long now = System.nanoTime();
            cache.values().removeIf(entry -> now - entry.resolvedNanos() >= TTL_NANOS);
        }
        cache.put(cgroupId, new Cached(identity, System.nanoTime()));
        if (!identity.equals(previous)) {
            updates.accept(new IdentityUpdate(IdentityChange.UPSERT, identity));
        }
        return identity;
    }

    private void refresh(java.util.function.Predicate<WorkloadIdentity> which) {
        for (Map.Entry<Long, Cached> entry : cache.entrySet()) {
            if (which.test(entry.getValue().identity())) {
                resolveAndAnnounce(entry.getKey(), entry.getValue().identity());
            }
        }
    }

    WorkloadIdentity resolve(long cgroupId) {
        Optional<String> path = tree.pathOf(cgroupId);
        if (path.isEmpty()) {
            return base(cgroupId, null, IdentitySource.UNKNOWN, "Cgroup", "cgroup-" + cgroupId).build();
        }
        String cgroupPath = path.get();
        Optional<ContainerCgroup> container = ContainerCgroup.parse(cgroupPath);
        PodDirectory directory = pods;
        if (container.isPresent() && container.get().podUid() != null && directory != null) {
            Optional<PodDirectory.PodView> pod = directory.byUid(container.get().podUid());
            if (pod.isPresent()) {
                return kubernetes(cgroupId, cgroupPath, container.get(), pod.get());
            }
        }
        LocalWorkload declared = null;
        for (LocalWorkload workload : workloads) {
            if (workload.contains(cgroupPath) && (declared == null || workload.cgroup().length() > declared.cgroup().length())) {
                declared = workload;
            }
        }
        if (declared != null && declared.namespace() != null) {
            return base(cgroupId, cgroupPath, IdentitySource.LOCAL_HOST, "Pod", declared.name())
                    .setWorkloadKey(declared.namespace() + "/Pod/" + declared.name())
                    .setNamespace(declared.namespace()).setPodName(declared.name())
                    .setLabels(Map.copyOf(declared.labels())).setPodIps(declared.ips()).build();
        }
        if (declared != null) {
            return base(cgroupId, cgroupPath, IdentitySource.LOCAL_HOST, "Cgroup", declared.name())
                    .setLabels(Map.copyOf(declared.labels())).setPodIps(declared.ips()).build();
        }
        String last = cgroupPath.substring(cgroupPath.lastIndexOf('/') + 1);
        WorkloadIdentity.Builder builder;
        if (cgroupPath.equals("/")) {
            builder = base(cgroupId, cgroupPath, IdentitySource.LOCAL_HOST, "Host", node);
        } else if (last.endsWith(".service") || last.endsWith(".scope") && container.isEmpty()) {
            builder = base(cgroupId, cgroupPath, IdentitySource.LOCAL_HOST, "SystemdUnit", last);
        } else {
            builder = base(cgroupId, cgroupPath, IdentitySource.LOCAL_HOST, "Cgroup", cgroupPath.substring(1));
        }
        container.ifPresent(found -> builder.setContainerId(found.containerId()).setPodUid(found.podUid()));
        return builder.build();
    }

    private WorkloadIdentity kubernetes(long cgroupId, String cgroupPath, ContainerCgroup container, PodDirectory.PodView pod) {
        WorkloadIdentity.Builder builder = WorkloadIdentity.newBuilder()
                .setNode(node).setCluster(cluster).setSource(IdentitySource.KUBERNETES)
                .setWorkloadKey(pod.namespace() + "/" + pod.workloadKind() + "/" + pod.workloadName())
                .setNamespace(pod.namespace()).setPodName(pod.podName()).setPodUid(pod.podUid())
                .setContainerId(container.containerId()).setLabels(Map.copyOf(pod.labels()))
                .setServiceAccount(pod.serviceAccount()).setWorkloadKind(pod.workloadKind())
                .setWorkloadName(pod.workloadName()).setPodIps(pod.podIps())
                .setCgroupId(cgroupId).setCgroupPath(cgroupPath);
        for (ContainerStatus status : pod.containers()) {
            if (status.getContainerID() != null && status.getContainerID().endsWith(container.containerId())) {
                builder.setContainerName(status.getName()).setImage(status.getImage());
            }
        }
        return builder.build();
    }

    private WorkloadIdentity.Builder base(long cgroupId, String cgroupPath, IdentitySource source, String kind, String name) {
        return WorkloadIdentity.newBuilder()
                .setNode(node).setCluster(cluster).setSource(source)
                .setWorkloadKey("host/" + node + "/" + name)
                .setWorkloadKind(kind).setWorkloadName(name)
                .setCgroupId(cgroupId).setCgroupPath(cgroupPath);
    }

    /** For tests and the health report: how many cgroups have a cached identity. */
    public int cachedCount() {
        return cache.size();
    }
}
