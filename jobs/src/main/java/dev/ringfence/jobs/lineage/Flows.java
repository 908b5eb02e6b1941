package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.FlowEnd;
import dev.ringfence.contract.NetworkFlow;

/** How to read a flow report. */
public final class Flows {
    private Flows() {}

    /** The connection never carried a conversation: refused, timed out, or reset before any answer. */
    public static boolean failed(NetworkFlow flow) {
        FlowEnd end = flow.getEnd();
        return end == FlowEnd.CONNECT_FAILED || end == FlowEnd.REFUSED_BY_POLICY || end == FlowEnd.TIMEOUT
                || (end == FlowEnd.RESET && flow.getBytesReceived() == 0);
    }

    public static boolean ended(NetworkFlow flow) {
        return flow.getEnd() != FlowEnd.ACTIVE;
    }
}
