package dev.ringfence.jobs.detect.exfil;

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
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Exfiltration (T1041/T1048), keyed by workload: each process's egress bytes to destinations outside the
 * cluster over a sliding window, and bytes to a destination the workload never used during its learning
 * window. One alert per process, revised when a new destination appears or the volume doubles; the score grows
 * with the volume.
 */
public final class ExfiltrationDetector extends KeyedProcessFunction<String, Observation, Alert> {
    private static final long serialVersionUID = 1L;

    private final ExfilSettings settings;
    private transient LearningClock learning;
    private transient MapState<String, Long> knownDestinations;
    private transient MapState<String, Long> newDestinationBytes;
    private transient MapState<String, ByteWindow> windows;
    private transient MapState<String, Alert> alerts;

    public ExfiltrationDetector(ExfilSettings settings) {
        this.settings = settings;
    }

    /** Bytes leaving the cluster, in either direction of connection. */
    public static boolean isEgress(Observation observation) {
        return observation.flow() != null && !observation.remoteInternal
                && (observation.bytesSentDelta > 0 || observation.firstReport);
    }

    @Override
    public void open(OpenContext context) {
        Alerts.loadIdDigest();
        FastCoding.enable();
        learning = new LearningClock(getRuntimeContext().getState(StateTtl.afterAccess(
                new ValueStateDescriptor<>("learning-start", Types.LONG), settings.destinationTtlMs)),
                settings.learningWindowMs);
        knownDestinations = getRuntimeContext().getMapState(StateTtl.afterAccess(
                new MapStateDescriptor<>("known-destinations", Types.STRING, Types.LONG), settings.destinationTtlMs));
        long windowTtl = Math.max(2 * settings.windowMs, 600_000);
        newDestinationBytes = getRuntimeContext().getMapState(StateTtl.afterWrite(
                new MapStateDescriptor<>("new-destination-bytes", Types.STRING, Types.LONG), windowTtl));
        windows = getRuntimeContext().getMapState(StateTtl.afterWrite(
                new MapStateDescriptor<>("windows", Types.STRING, TypeInformation.of(ByteWindow.class)), windowTtl));
        alerts = getRuntimeContext().getMapState(StateTtl.afterWrite(
                new MapStateDescriptor<>("alerts", Types.STRING, TypeInformation.of(Alert.class)), windowTtl));
    }

    @Override
    public void processElement(Observation egress, Context ctx, Collector<Alert> out) throws Exception {
        NetworkFlow flow = egress.flow();
        long timeMs = egress.timeNs() / 1_000_000L;
        String destination = flow.getRemote().getIp();
        String process = egress.process == null ? "cgroup:" + flow.getCgroupId() : egress.process.getExecId();
        long sent = egress.bytesSentDelta;

        ByteWindow window = windows.get(process);
        if (window == null) {
            window = new ByteWindow((int) (settings.windowMs / settings.bucketMs));
        }
        window.add(timeMs, sent, settings.bucketMs);
        windows.put(process, window);
        long windowBytes = window.sum(timeMs, settings.bucketMs);

        boolean complete = learning.baselineCompleteAt(timeMs);
        long toNewDestination = 0;
        if (!complete) {
            knownDestinations.put(destination, timeMs);
        } else if (!knownDestinations.contains(destination)) {
            Long before = newDestinationBytes.get(destination);
            toNewDestination = (before == null ? 0 : before) + sent;
            newDestinationBytes.put(destination, toNewDestination);
        }
        boolean volume = windowBytes >= settings.bytesThreshold;
        boolean newDestination = toNewDestination >= settings.newDestinationMinBytes;
        if (!volume && !newDestination) {
            return;
        }
        int risk = volume ? volumeRisk(60, windowBytes, settings.bytesThreshold)
                : volumeRisk(50, toNewDestination, settings.newDestinationMinBytes);
        String summary = egress.workloadKey() + " " + (egress.process == null ? "" : egress.process.getBinary() + " ")
                + "sent " + windowBytes + " bytes outside the cluster within " + settings.windowMs / 1000 + " s"
                + (newDestination ? ", " + toNewDestination + " of them to never-seen " + destination : "");
        Alert previous = alerts.get(process);
        boolean volumeBefore = previous != null && "volume".equals(previous.getEvidence().get("trigger"));
        Map<String, String> evidence = Map.of("window_bytes", Long.toString(windowBytes),
                "destination." + destination, Long.toString(newDestination ? toNewDestination : windowBytes),
                "trigger", volume || volumeBefore ? "volume" : "new-destination");
        Alert alert;
        if (previous == null) {
            alert = Alerts.open(Rule.EXFILTRATION, egress.workloadKey() + "|" + process, egress, risk, summary,
                    List.of(Steps.flow(egress)), evidence);
        } else if (!previous.getEvidence().containsKey("destination." + destination)
                || windowBytes >= 2 * Long.parseLong(previous.getEvidence().get("window_bytes"))
                || (volume && !volumeBefore)) {
            alert = Alerts.revise(previous, egress.timeNs(), risk, summary, List.of(Steps.flow(egress)), 50, evidence)
                    .build();
        } else {
            return;
        }
        alerts.put(process, alert);
        out.collect(alert);
    }

    /** base at the threshold, +10 per doubling beyond it, at most 100. */
    private static int volumeRisk(int base, long bytes, long threshold) {
        return (int) Math.min(100, base + 10 * Math.log((double) bytes / threshold) / Math.log(2));
    }
}
