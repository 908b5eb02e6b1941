package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.state.StateTtl;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins the two sensors' reports of one east-west connection, keyed by {@link #connectionKey}: once both nodes
 * reported it, the accepting side's observation is emitted with the connecting process and its ancestry, so a
 * storyline can reach back into the source pod. The bare accept reaches detectors straight from the lineage, in
 * its node's order; this only adds the other side when it comes.
 */
public final class PeerJoinFunction extends KeyedProcessFunction<String, Observation, Observation> {
    private static final long serialVersionUID = 1L;
    /**
     * How far apart the two sensors may date the start of one connection (connect vs accept, node clocks). A
     * four-tuple is not reused within TIME_WAIT (60 s on Linux), so two reports this close are one connection.
     */
    static final long SAME_CONNECTION_WITHIN_NS = 10_000_000_000L;

    private final long ttlMs;
    /** Per side, flow start (ns) -> that side's first report: a reused four-tuple keeps its connections apart. */
    private transient MapState<Long, Observation> connecting;
    private transient MapState<Long, Observation> accepting;

    public PeerJoinFunction(long ttlMs) {
        this.ttlMs = ttlMs;
    }

    /**
     * Both sides' first report of a connection between a known process and another workload; early copies are left
     * out. A side whose peer address no workload holds (kubelet probes from a node address, a scan's probes of empty
     * addresses) would wait out the TTL alone in state, and the chain reads only accepts from a workload anyway.
     */
    public static boolean isInput(Observation observation) {
        return observation.flow() != null && observation.remoteInternal && observation.remoteWorkload != null
                && observation.firstReport && observation.process != null
                && observation.resolution != PeerResolution.PENDING;
    }

    /** The same for both sides: the two endpoints in a fixed order, plus the transport. */
    public static String connectionKey(Observation observation) {
        NetworkFlow flow = observation.flow();
        String local = flow.getLocal().getIp() + ":" + flow.getLocal().getPort();
        String remote = flow.getRemote().getIp() + ":" + flow.getRemote().getPort();
        return (local.compareTo(remote) < 0 ? local + ">" + remote : remote + ">" + local) + "/" + flow.getTransport();
    }

    @Override
    public void open(OpenContext context) {
        FastCoding.enable();
        TypeInformation<Observation> type = TypeInformation.of(Observation.class);
        // swept, not cleaned incrementally: that cleanup deep-copies the whole waiting observations of the keys it
        // visits on every access, which was about half of this operator's CPU
        connecting = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(
                new MapStateDescriptor<>("connecting-by-start", Types.LONG, type), ttlMs));
        accepting = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(
                new MapStateDescriptor<>("accepting-by-start", Types.LONG, type), ttlMs));
    }

    /**
     * Only a connection's first report per side arrives here; it meets the other side's report of the same start,
     * or waits for it. When one node's events run far ahead of the other's (a backlog, a lagging partition), several
     * connections of one reused four-tuple wait side by side instead of the newest one taking the older one's place
     * and its accept being paired with the wrong connect.
     */
    @Override
    public void processElement(Observation observation, Context ctx, Collector<Observation> out) throws Exception {
        boolean outbound = observation.flow().getDirection() == FlowDirection.OUTBOUND;
        MapState<Long, Observation> waiting = outbound ? accepting : connecting;
        long startNs = observation.flow().getStartNs();
        Long partner = null;
        for (Long otherStartNs : waiting.keys()) {
            long distance = Math.abs(otherStartNs - startNs);
            if (distance <= SAME_CONNECTION_WITHIN_NS
                    && (partner == null || distance < Math.abs(partner - startNs))) {
                partner = otherStartNs;
            }
        }
        if (partner == null) {
            (outbound ? connecting : accepting).put(startNs, observation);
            TimerService timers = ctx.timerService();
            timers.registerProcessingTimeTimer(StateTtl.nextSweepAt(timers.currentProcessingTime(), ttlMs));
            return;
        }
        Observation other = waiting.get(partner);
        waiting.remove(partner);
        out.collect(outbound ? withPeer(other, observation) : withPeer(observation, other));
    }

    /** A side whose partner never came (the other node lost the report, or runs no sensor) expires here. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out) throws Exception {
        StateTtl.sweep(connecting);
        StateTtl.sweep(accepting);
    }

    private static Observation withPeer(Observation accepted, Observation connected) {
        Observation enriched = accepted.copy();
        enriched.peerProcess = connected.process;
        enriched.peerAncestry = connected.ancestry;
        return enriched;
    }
}
