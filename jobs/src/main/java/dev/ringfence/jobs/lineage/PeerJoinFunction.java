package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.jobs.state.StateTtl;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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

    private final long ttlMs;
    private transient ValueState<Observation> connecting;
    private transient ValueState<Observation> accepting;

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
        TypeInformation<Observation> type = TypeInformation.of(Observation.class);
        connecting = getRuntimeContext().getState(StateTtl.afterWrite(new ValueStateDescriptor<>("connecting", type), ttlMs));
        accepting = getRuntimeContext().getState(StateTtl.afterWrite(new ValueStateDescriptor<>("accepting", type), ttlMs));
    }

    @Override
    public void processElement(Observation observation, Context ctx, Collector<Observation> out) throws Exception {
        // only a connection's first report per side arrives here; once both sides met, nothing is kept
        if (observation.flow().getDirection() == FlowDirection.OUTBOUND) {
            Observation accepted = accepting.value();
            if (accepted == null) {
                connecting.update(observation);
            } else {
                accepting.clear();
                out.collect(withPeer(accepted, observation));
            }
        } else {
            Observation connected = connecting.value();
            if (connected == null) {
                accepting.update(observation);
            } else {
                connecting.clear();
                out.collect(withPeer(observation, connected));
            }
        }
    }

    private static Observation withPeer(Observation accepted, Observation connected) {
        Observation enriched = accepted.copy();
        enriched.peerProcess = connected.process;
        enriched.peerAncestry = connected.ancestry;
        return enriched;
    }
}
