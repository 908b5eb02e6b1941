package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.WorkloadIdentity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.util.Collector;

/**
 * East-west flow reports whose peer IP no identity update has named yet, per node and remote IP, oldest first.
 * The update often travels behind them: it comes from the peer's node, through another Kafka partition and
 * another source reader, which may start or run later (job start, a backlog). A held report is released as
 * soon as its peer resolves, or unresolved when the hold runs out (node addresses, service IPs, scanned holes).
 */
public final class PeerHold {
    /** How often held reports are re-resolved: the delay a resolved report can add, at most. */
    public static final long RECHECK_MS = 100;

    private final MapState<String, HeldFlow[]> held;
    private final long holdMs;

    PeerHold(MapState<String, HeldFlow[]> held, long holdMs) {
        this.held = held;
        this.holdMs = holdMs;
    }

    /** Reports to an IP with reports already held queue behind them, so one flow's reports keep their order. */
    boolean holds(String ip) throws Exception {
        return held.contains(ip);
    }

    /** Returns whether the hold was empty before (the caller then schedules a recheck). */
    boolean add(String ip, Observation observation, long nowMs) throws Exception {
        boolean wasEmpty = held.isEmpty();
        HeldFlow[] queued = held.get(ip);
        HeldFlow next = new HeldFlow(observation, nowMs + holdMs);
        HeldFlow[] grown = queued == null ? new HeldFlow[] {next} : Arrays.copyOf(queued, queued.length + 1);
        grown[grown.length - 1] = next;
        held.put(ip, grown);
        return wasEmpty;
    }

    /**
     * Releases, per IP and in order, every report that resolves now or whose hold ran out; stops at the first
     * that does neither. Returns how many went on unresolved, and whether anything is still held.
     */
    Release release(long nowMs, IpTable table, Collector<Observation> out) throws Exception {
        int unresolved = 0;
        List<Map.Entry<String, HeldFlow[]>> changed = new ArrayList<>();
        for (Iterator<Map.Entry<String, HeldFlow[]>> it = held.iterator(); it.hasNext(); ) {
            Map.Entry<String, HeldFlow[]> entry = it.next();
            HeldFlow[] queued = entry.getValue();
            int released = 0;
            for (HeldFlow flow : queued) {
                Observation observation = flow.observation;
                WorkloadIdentity peer = table.resolve(entry.getKey(), observation.timeNs());
                if (peer == null && flow.releaseByMs > nowMs) {
                    break;
                }
                observation.remoteWorkload = peer;
                observation.resolution = PeerResolution.AFTER_HOLD;
                unresolved += peer == null ? 1 : 0;
                out.collect(observation);
                released++;
            }
            if (released == queued.length) {
                it.remove();
            } else if (released > 0) {
                changed.add(Map.entry(entry.getKey(), Arrays.copyOfRange(queued, released, queued.length)));
            }
        }
        for (Map.Entry<String, HeldFlow[]> entry : changed) {
            held.put(entry.getKey(), entry.getValue());
        }
        return new Release(unresolved, !held.isEmpty());
    }

    record Release(int unresolved, boolean stillHeld) {}
}
