package dev.ringfence.jobs.detect.edge;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.alert.Alerts;
import dev.ringfence.jobs.alert.Steps;
import dev.ringfence.jobs.detect.LearningClock;
import dev.ringfence.jobs.detect.Rule;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.state.StateTtl;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * New east-west edge (T1021), keyed by source workload: edges (destination workload, transport, port) seen in
 * the learning window form the baseline; once it is complete, an edge outside it raises an alert. New edges
 * close together in time grow one alert. An alerted edge joins the baseline, so it is reported once.
 */
public final class NewEdgeDetector extends KeyedProcessFunction<String, Observation, Alert> {
    private static final long serialVersionUID = 1L;
    /** Ports whose first use between workloads says more about lateral movement. */
    private static final Set<Integer> REMOTE_ADMIN_PORTS = Set.of(22, 23, 135, 445, 2375, 2376, 3389, 5985, 5986,
            6443, 10250);

    private final EdgeSettings settings;
    private transient LearningClock learning;
    private transient MapState<String, Long> baseline;
    private transient ValueState<Alert> openAlert;

    public NewEdgeDetector(EdgeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        Alerts.loadIdDigest();
        FastCoding.enable();
        learning = new LearningClock(getRuntimeContext().getState(StateTtl.afterAccess(
                new ValueStateDescriptor<>("learning-start", Types.LONG), settings.baselineTtlMs)),
                settings.learningWindowMs);
        baseline = getRuntimeContext().getMapState(StateTtl.afterAccess(
                new MapStateDescriptor<>("baseline", Types.STRING, Types.LONG), settings.baselineTtlMs));
        openAlert = getRuntimeContext().getState(StateTtl.afterWrite(
                new ValueStateDescriptor<>("open-alert", TypeInformation.of(Alert.class)), settings.storylineGapMs));
    }

    @Override
    public void processElement(Observation observation, Context ctx, Collector<Alert> out) throws Exception {
        NetworkFlow flow = observation.flow();
        long timeMs = observation.timeNs() / 1_000_000L;
        String edge = observation.remoteWorkloadKey() + "|" + flow.getTransport() + "|" + flow.getRemote().getPort();
        boolean complete = learning.baselineCompleteAt(timeMs);
        boolean known = baseline.contains(edge);
        baseline.put(edge, timeMs);
        if (!complete || known) {
            return;
        }
        boolean admin = REMOTE_ADMIN_PORTS.contains(flow.getRemote().getPort());
        int risk = admin ? 70 : 50;
        String summary = observation.workloadKey() + " opened a connection never seen in its baseline: to "
                + observation.remoteWorkloadKey() + " port " + flow.getRemote().getPort();
        Map<String, String> evidence = Map.of("new_edge." + edge, Long.toString(timeMs));
        Alert open = openAlert.value();
        Alert alert = open != null && timeMs - open.getLastSeenNs() / 1_000_000L <= settings.storylineGapMs
                ? Alerts.revise(open, observation.timeNs(), risk, summary, List.of(Steps.flow(observation)), 50,
                        evidence).build()
                : Alerts.open(Rule.NEW_EDGE, observation.workloadKey() + "|" + edge + "|" + timeMs, observation, risk,
                        summary, List.of(Steps.flow(observation)), evidence);
        openAlert.update(alert);
        out.collect(alert);
    }
}
