package dev.ringfence.jobs.detect.scan;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.alert.Alerts;
import dev.ringfence.jobs.alert.Steps;
import dev.ringfence.jobs.detect.Rule;
import dev.ringfence.jobs.lineage.Flows;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.lineage.PeerResolution;
import dev.ringfence.jobs.state.StateTtl;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Internal scan (T1046), keyed by source workload: distinct internal peers (ip:port) reached within the window,
 * failed connects weighted higher. Crossing the threshold opens one alert per episode; further peers revise it.
 */
public final class ScanDetector extends KeyedProcessFunction<String, Observation, Alert> {
    private static final long serialVersionUID = 1L;
    private static final int PROBES_SHOWN = 20;

    private final ScanSettings settings;
    /** peer "ip:port" -> {last seen ms, weight}. */
    private transient MapState<String, double[]> peers;
    private transient ValueState<ScanEpisode> episode;

    public ScanDetector(ScanSettings settings) {
        this.settings = settings;
    }

    /**
     * Connection attempts this detector weighs: outbound, internal, counted once per flow. A report held for its
     * peer's identity was counted from its early copy, at once.
     */
    public static boolean isProbe(Observation observation) {
        NetworkFlow flow = observation.flow();
        return flow != null && flow.getDirection() == FlowDirection.OUTBOUND && observation.remoteInternal
                && observation.firstReport && observation.resolution != PeerResolution.AFTER_HOLD;
    }

    @Override
    public void open(OpenContext context) {
        Alerts.loadIdDigest();
        FastCoding.enable();
        long ttl = Math.max(2 * settings.windowMs, 600_000);
        peers = getRuntimeContext().getMapState(StateTtl.afterWrite(
                new MapStateDescriptor<>("peers", Types.STRING, TypeInformation.of(double[].class)), ttl));
        episode = getRuntimeContext().getState(StateTtl.afterWrite(
                new ValueStateDescriptor<>("episode", TypeInformation.of(ScanEpisode.class)), ttl));
    }

    @Override
    public void processElement(Observation probe, Context ctx, Collector<Alert> out) throws Exception {
        NetworkFlow flow = probe.flow();
        long nowMs = probe.timeNs() / 1_000_000L;
        String peer = flow.getRemote().getIp() + ":" + flow.getRemote().getPort();
        double weight = Flows.failed(flow) ? settings.failedConnectWeight : 1;
        double[] known = peers.get(peer);
        boolean newInWindow = known == null || known[0] < nowMs - settings.windowMs;
        peers.put(peer, newInWindow ? new double[] {nowMs, weight}
                : new double[] {Math.max(known[0], nowMs), Math.max(known[1], weight)});
        ScanEpisode current = episode.value();
        if (current == null) {
            current = new ScanEpisode();
        }
        if (newInWindow) {
            // the storyline shows each peer's first probe, not the repeated calls of normal traffic
            remember(current, Steps.flow(probe));
        }
        long previousProbeMs = current.lastProbeMs;
        current.lastProbeMs = Math.max(previousProbeMs, nowMs);
        if (newInWindow) {
            evaluate(probe, nowMs, previousProbeMs, current, out);
        }
        episode.update(current);
    }

    private void evaluate(Observation probe, long nowMs, long previousProbeMs, ScanEpisode current, Collector<Alert> out) throws Exception {
        double score = 0;
        int distinct = 0;
        int failed = 0;
        long firstMs = nowMs;
        for (Iterator<Map.Entry<String, double[]>> it = peers.iterator(); it.hasNext(); ) {
            double[] seen = it.next().getValue();
            if (seen[0] < nowMs - settings.windowMs) {
                it.remove();
                continue;
            }
            score += seen[1];
            distinct++;
            failed += seen[1] > 1 ? 1 : 0;
            firstMs = Math.min(firstMs, (long) seen[0]);
        }
        if (score < settings.threshold) {
            return;
        }
        int risk = (int) Math.min(95, 60 + 10 * Math.log(score / settings.threshold) / Math.log(2));
        String summary = probe.workloadKey() + " probed " + distinct + " internal endpoints (" + failed
                + " failed) within " + settings.windowMs / 1000 + " s";
        Map<String, String> evidence = Map.of("distinct_peers", Integer.toString(distinct),
                "failed_peers", Integer.toString(failed), "weighted_score", Long.toString(Math.round(score)));
        List<StorylineStep> probes = Arrays.asList(current.recentProbes);
        Alert open = current.alert;
        boolean episodeOver = open != null && previousProbeMs < nowMs - settings.windowMs;
        if (open == null || episodeOver) {
            current.alert = Alerts.open(Rule.SCAN, probe.workloadKey() + "|" + firstMs, probe, risk, summary, probes,
                    evidence);
        } else if (distinct - current.peersAtRevision >= settings.reviseEveryPeers) {
            current.alert = Alerts.revise(open, probe.timeNs(), risk, summary, probes, PROBES_SHOWN * 5, evidence)
                    .setProcess(probe.process).build();
        } else {
            return;
        }
        current.peersAtRevision = distinct;
        current.recentProbes = new StorylineStep[0];
        out.collect(current.alert);
    }

    private static void remember(ScanEpisode current, StorylineStep step) {
        StorylineStep[] probes = current.recentProbes;
        int keep = Math.min(probes.length, PROBES_SHOWN - 1);
        StorylineStep[] next = Arrays.copyOfRange(probes, probes.length - keep, probes.length + 1);
        next[keep] = step;
        current.recentProbes = next;
    }
}
