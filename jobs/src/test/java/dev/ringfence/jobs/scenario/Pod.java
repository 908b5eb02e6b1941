package dev.ringfence.jobs.scenario;

import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.WorkloadIdentity;
import java.util.List;
import java.util.Map;

/** A pod of a workload on a node, with its IP (which a later pod may reuse). */
public record Pod(String node, String namespace, String kind, String name, String podName, String ip, long cgroupId) {

    public String workloadKey() {
        return namespace + "/" + kind + "/" + name;
    }

    public WorkloadIdentity identity() {
        return WorkloadIdentity.newBuilder()
                .setNode(node)
                .setCluster("test")
                .setSource(IdentitySource.KUBERNETES)
                .setWorkloadKey(workloadKey())
                .setNamespace(namespace)
                .setPodName(podName)
                .setPodUid(podName + "-uid")
                .setContainerName(name)
                .setImage("registry.local/" + name + ":1")
                .setLabels(Map.of("app", name))
                .setWorkloadKind(kind)
                .setWorkloadName(name)
                .setPodIps(List.of(ip))
                .setCgroupId(cgroupId)
                .build();
    }
}
