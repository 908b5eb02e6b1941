package dev.ringfence.sensor.enforce;

import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.sensor.identity.CgroupTree;
import java.nio.file.Files;
import java.nio.file.Path;

/** A decision's workload as the cgroup the kernel hooks key on: its id, or its path below the cgroup v2 root. */
final class Workloads {
    private final Path cgroupRoot;

    Workloads(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    long cgroupOf(WorkloadIdentity workload) {
        if (workload == null) {
            throw new Refused("decision names no workload");
        }
        long id = workload.getCgroupId() > 0 ? workload.getCgroupId() : idOfPath(workload);
        if (id == CgroupTree.idOf(cgroupRoot)) {
            throw new Refused("the root cgroup (the whole host) cannot be a target");
        }
        return id;
    }

    private long idOfPath(WorkloadIdentity workload) {
        String path = workload.getCgroupPath();
        if (path == null || path.isBlank()) {
            throw new Refused("workload " + workload.getWorkloadKey() + " has neither cgroup id nor cgroup path");
        }
        Path directory = cgroupRoot.resolve(path.replaceFirst("^/+", "")).normalize();
        if (!directory.startsWith(cgroupRoot) || !Files.isDirectory(directory)) {
            throw new Refused("no cgroup " + path + " on this node");
        }
        return CgroupTree.idOf(directory);
    }
}
