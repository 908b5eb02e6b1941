package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.contract.WorkloadIdentity;

/** An event with what the lineage knows about it: the process and its ancestry, the peer workload, byte deltas. */
public final class Observation {
    public Event event;
    /** The process the event is about (the exec'd one, or the flow's owner). */
    public ProcessRef process;
    /** Ancestors of {@link #process}, nearest first, bounded depth. */
    public ProcessRef[] ancestry = new ProcessRef[0];
    /** Flows: the workload owning the remote IP at the time of the flow, when known. */
    public WorkloadIdentity remoteWorkload;
    /** Flows: the remote address is in the cluster (a known pod IP or inside the cluster CIDRs). */
    public boolean remoteInternal;
    /** Flows: first report of this flow id (a connection is counted once). */
    public boolean firstReport;
    /** Flows: bytes since the previous report of this flow id. */
    public long bytesSentDelta;
    public long bytesReceivedDelta;
    /** Flows: the other side's process when its sensor reported the same connection. */
    public ProcessRef peerProcess;
    public ProcessRef[] peerAncestry = new ProcessRef[0];
    /** Arrived behind the watermark: still folded into state, counted as late. */
    public boolean late;
    /** Flows: whether {@link #remoteWorkload} was looked up at once, or after waiting for the peer's identity. */
    public PeerResolution resolution = PeerResolution.AT_ONCE;

    public long timeNs() {
        return event.getTimeNs();
    }

    public String node() {
        return event.getNode();
    }

    public NetworkFlow flow() {
        return event.getPayload() instanceof NetworkFlow flow ? flow : null;
    }

    public ProcessExec exec() {
        return event.getPayload() instanceof ProcessExec exec ? exec : null;
    }

    /** The workload of the process, as its sensor resolved it (kept once, in the event, not copied alongside). */
    public WorkloadIdentity workload() {
        return switch (event.getPayload()) {
            case ProcessExec exec -> exec.getWorkload();
            case NetworkFlow flow -> flow.getWorkload();
            default -> throw new IllegalStateException("no observation is made of " + event.getPayload().getClass());
        };
    }

    public String workloadKey() {
        return workload().getWorkloadKey();
    }

    public String remoteWorkloadKey() {
        return remoteWorkload == null ? null : remoteWorkload.getWorkloadKey();
    }

    public Observation copy() {
        Observation copy = new Observation();
        copy.event = event;
        copy.process = process;
        copy.ancestry = ancestry;
        copy.remoteWorkload = remoteWorkload;
        copy.remoteInternal = remoteInternal;
        copy.firstReport = firstReport;
        copy.bytesSentDelta = bytesSentDelta;
        copy.bytesReceivedDelta = bytesReceivedDelta;
        copy.peerProcess = peerProcess;
        copy.peerAncestry = peerAncestry;
        copy.late = late;
        copy.resolution = resolution;
        return copy;
    }
}
