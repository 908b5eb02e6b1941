package dev.ringfence.jobs.graph;

import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.ServiceEdge;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.state.StateTtl;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The live service map, keyed by edge id: counts connections (once per flow), failures and bytes of one
 * workload -> workload edge. A new edge is published at once, then at most once per interval while it changes.
 */
public final class ServiceGraphFunction extends KeyedProcessFunction<String, EdgeReport, ServiceEdge> {
    private static final long serialVersionUID = 1L;
    /** An edge quiet this long is forgotten; it reappears with fresh counts. */
    private static final long EDGE_TTL_MS = 7L * 24 * 3_600_000;

    private final long emitIntervalMs;
    private transient ValueState<ServiceEdge> edge;
    private transient ValueState<Boolean> publishPending;

    public ServiceGraphFunction(long emitIntervalMs) {
        this.emitIntervalMs = emitIntervalMs;
    }

    /** Only connections this side opened: the accepting side's report of the same connection would count twice. */
    public static boolean isEdge(Observation observation) {
        NetworkFlow flow = observation.flow();
        return flow != null && flow.getDirection() == dev.ringfence.contract.FlowDirection.OUTBOUND
                && observation.remoteWorkload != null;
    }

    @Override
    public void open(OpenContext context) {
        FastCoding.enable();
        edge = getRuntimeContext().getState(StateTtl.afterWrite(
                new ValueStateDescriptor<>("edge", TypeInformation.of(ServiceEdge.class)), EDGE_TTL_MS));
        publishPending = getRuntimeContext().getState(StateTtl.afterWrite(
                new ValueStateDescriptor<>("publish-pending", Types.BOOLEAN), EDGE_TTL_MS));
    }

    @Override
    public void processElement(EdgeReport report, Context ctx, Collector<ServiceEdge> out) throws Exception {
        ServiceEdge current = edge.value();
        boolean isNew = current == null;
        ServiceEdge.Builder next = isNew
                ? ServiceEdge.newBuilder()
                        .setEdgeId(ctx.getCurrentKey())
                        .setSourceWorkloadKey(report.sourceWorkloadKey)
                        .setDestinationWorkloadKey(report.destinationWorkloadKey)
                        .setTransport(report.transport)
                        .setPort(report.port)
                        .setFirstSeenNs(report.timeNs)
                        .setLastSeenNs(report.timeNs)
                : ServiceEdge.newBuilder(current);
        if (report.firstReport) {
            next.setConnections(next.getConnections() + 1);
            if (report.failed) {
                next.setFailedConnections(next.getFailedConnections() + 1);
            }
        }
        next.setBytesSent(next.getBytesSent() + report.bytesSentDelta)
                .setBytesReceived(next.getBytesReceived() + report.bytesReceivedDelta)
                .setFirstSeenNs(Math.min(next.getFirstSeenNs(), report.timeNs))
                .setLastSeenNs(Math.max(next.getLastSeenNs(), report.timeNs));
        ServiceEdge updated = next.build();
        edge.update(updated);
        if (isNew) {
            out.collect(updated);
        } else if (!Boolean.TRUE.equals(publishPending.value())) {
            publishPending.update(true);
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + emitIntervalMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceEdge> out) throws Exception {
        publishPending.clear();
        ServiceEdge current = edge.value();
        if (current != null) {
            out.collect(current);
        }
    }
}
