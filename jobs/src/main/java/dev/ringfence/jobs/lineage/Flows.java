package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.FlowEnd;
import dev.ringfence.contract.NetworkFlow;

/** How to read a flow report. */
public final class Flows {
    private static final long MAX_FLOW_AGE_NS = 24 * 3_600_000_000_000L;
    private Flows() {}

    /** The connection never carried a conversation: refused, timed out, or reset before any answer. */
    public static boolean failed(NetworkFlow flow) {
        FlowEnd end = flow.getEnd();
        return end == FlowEnd.CONNECT_FAILED || end == FlowEnd.REFUSED_BY_POLICY || end == FlowEnd.TIMEOUT
                || (end == FlowEnd.RESET && flow.getBytesReceived() == 0);
    }

    /**
     * When the connection started, on the event clock: flows are reported at close or per interval, so the
     * report's time is later than the connection. The contract does not say which clock start_ns uses; a value
     * that cannot be on the event clock (after the report, or over a day before it) falls back to the report time.
     */
    public static long startTimeNs(long reportTimeNs, NetworkFlow flow) {
        long start = flow.getStartNs();
        return start > 0 && start <= reportTimeNs && reportTimeNs - start <= MAX_FLOW_AGE_NS ? start : reportTimeNs;
    }

    public static boolean ended(NetworkFlow flow) {
        return flow.getEnd() != FlowEnd.ACTIVE;
    }
}
