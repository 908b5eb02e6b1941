package dev.ringfence.sinks.ecs;

import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.WorkloadIdentity;

/** Where a workload lands in ECS: host, orchestrator, container, Kubernetes-style pod fields, and our own keys. */
final class WorkloadFields {
    private WorkloadFields() {}

    /** The workload an alert or event belongs to, in the ECS fields SIEM rules and dashboards already know. */
    static void putOwner(EcsDocument document, WorkloadIdentity workload) {
        document.put("host.name", workload.getNode())
                .put("host.hostname", workload.getNode())
                .put("container.id", workload.getContainerId())
                .put("container.name", workload.getContainerName())
                .put("container.image.name", workload.getImage());
        if (workload.getSource() == IdentitySource.KUBERNETES) {
            document.put("orchestrator.type", "kubernetes")
                    .put("orchestrator.cluster.name", blankToNull(workload.getCluster()))
                    .put("orchestrator.namespace", workload.getNamespace())
                    .put("orchestrator.resource.type", workload.getWorkloadKind())
                    .put("orchestrator.resource.name", workload.getWorkloadName())
                    .put("kubernetes.pod.name", workload.getPodName())
                    .put("kubernetes.pod.uid", workload.getPodUid())
                    .put("kubernetes.pod.ip", workload.getPodIps())
                    .put("kubernetes.pod.labels", workload.getLabels())
                    .put("kubernetes.service_account", workload.getServiceAccount());
        }
        putKeys(document, "ringfence.workload", workload);
        document.put("ringfence.workload.source", workload.getSource().name())
                .put("ringfence.workload.cgroup_id", workload.getCgroupId())
                .put("ringfence.workload.cgroup_path", workload.getCgroupPath());
    }

    /** The identifying keys of a workload under {@code prefix}: enough to group and join on. */
    static void putKeys(EcsDocument document, String prefix, WorkloadIdentity workload) {
        document.put(prefix + ".key", workload.getWorkloadKey())
                .put(prefix + ".kind", workload.getWorkloadKind())
                .put(prefix + ".name", workload.getWorkloadName())
                .put(prefix + ".namespace", workload.getNamespace())
                .put(prefix + ".node", workload.getNode());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
