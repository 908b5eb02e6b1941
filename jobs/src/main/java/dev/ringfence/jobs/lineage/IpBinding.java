package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.WorkloadIdentity;

/** A pod IP held by one workload from {@link #fromNs} until {@link #toNs} (Long.MAX_VALUE while held). */
public final class IpBinding {
    public WorkloadIdentity workload;
    public long fromNs;
    public long toNs = Long.MAX_VALUE;

    public IpBinding() {}

    IpBinding(WorkloadIdentity workload, long fromNs) {
        this.workload = workload;
        this.fromNs = fromNs;
    }
}
