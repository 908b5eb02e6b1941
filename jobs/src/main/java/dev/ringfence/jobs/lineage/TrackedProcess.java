package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.ProcessRef;

/** One process of a node's tree: its reference and when it ended (0 while alive). */
public final class TrackedProcess {
    public ProcessRef ref;
    /** True when only a fork was seen: an exec of the same id replaces it. */
    public boolean forkOnly;
    public long endNs;

    public TrackedProcess() {}

    TrackedProcess(ProcessRef ref, boolean forkOnly) {
        this.ref = ref;
        this.forkOnly = forkOnly;
    }
}
