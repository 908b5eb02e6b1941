package dev.ringfence.feedback.rails;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.WorkloadIdentity;
import java.util.Optional;
import java.util.Set;

/**
 * What no decision may kill or cut off, whoever asks: the init process, the sensor, the container
 * runtime and kubelet, and whole namespaces (kube-system). Matched on everything a decision can name
 * (pid inside the exec id, workload name and namespace, binary path). It lives in the protocol module
 * so the sensor re-checks each decision with the same rules, plus what only it can see (its own pid,
 * the resolved binary of a live process).
 */
public record ProtectedSet(Set<Integer> pids, Set<String> namespaces, Set<String> workloadNames, Set<String> binaries) {

    public ProtectedSet {
        pids = Set.copyOf(pids);
        namespaces = Set.copyOf(namespaces);
        workloadNames = Set.copyOf(workloadNames);
        binaries = Set.copyOf(binaries);
    }

    public static ProtectedSet defaults() {
        return new ProtectedSet(
                Set.of(1),
                Set.of("kube-system"),
                Set.of("kubelet", "containerd", "dockerd", "crio", "cri-o", "runc", "systemd", "ringfence-sensor", "ringfence"),
                Set.of("/sbin/init", "/lib/systemd/systemd", "/usr/lib/systemd/systemd",
                        "/usr/bin/kubelet", "/usr/local/bin/kubelet",
                        "/usr/bin/containerd", "/usr/local/bin/containerd", "/usr/bin/containerd-shim-runc-v2",
                        "/usr/bin/dockerd", "/usr/bin/runc", "/usr/sbin/runc", "/usr/bin/crio"));
    }

    public ProtectedSet plus(Set<Integer> morePids, Set<String> moreNamespaces, Set<String> moreWorkloads, Set<String> moreBinaries) {
        return new ProtectedSet(union(pids, morePids), union(namespaces, moreNamespaces),
                union(workloadNames, moreWorkloads), union(binaries, moreBinaries));
    }

    /** Why the decision touches something protected, or empty. A release never harms anything. */
    public Optional<String> protects(Decision decision) {
        DecisionTarget target = decision.getTarget();
        if (target.getExecId() != null) {
            Optional<Integer> pid = ExecIds.pid(target.getExecId());
            if (pid.isPresent() && pids.contains(pid.get())) {
                return Optional.of("pid " + pid.get() + " is protected (exec " + target.getExecId() + ")");
            }
        }
        if (target.getBinaryPath() != null && binaries.contains(target.getBinaryPath())) {
            return Optional.of("binary " + target.getBinaryPath() + " is protected");
        }
        WorkloadIdentity workload = target.getWorkload();
        if (workload != null) {
            if (workload.getNamespace() != null && namespaces.contains(workload.getNamespace())) {
                return Optional.of("namespace " + workload.getNamespace() + " is protected");
            }
            if (workloadNames.contains(workload.getWorkloadName())) {
                return Optional.of("workload " + workload.getWorkloadName() + " is protected");
            }
            if (workload.getContainerName() != null && workloadNames.contains(workload.getContainerName())) {
                return Optional.of("container " + workload.getContainerName() + " is protected");
            }
        }
        return Optional.empty();
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        java.util.HashSet<T> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
