package dev.ringfence.jobs.detect.exec;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.alert.Alerts;
import dev.ringfence.jobs.alert.Steps;
import dev.ringfence.jobs.detect.BinaryClasses;
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
 * Unexpected exec (T1059.004), keyed by workload: binaries run during the learning window, plus the declared
 * ones, form the workload's process set. Afterwards a binary outside it raises one alert per binary, revised
 * with every further run; shells and network tools score highest.
 */
public final class UnexpectedExecDetector extends KeyedProcessFunction<String, Observation, Alert> {
    private static final long serialVersionUID = 1L;

    private final ExecSettings settings;
    private final BinaryClasses binaries;
    private transient LearningClock learning;
    private transient MapState<String, Long> learned;
    /** storyline key (the binary that opened it) -> its alert. */
    private transient MapState<String, Alert> alerts;
    /** exec id -> storyline key, so descendants grow their ancestor's alert. */
    private transient MapState<String, String> members;

    public UnexpectedExecDetector(ExecSettings settings, BinaryClasses binaries) {
        this.settings = settings;
        this.binaries = binaries;
    }

    @Override
    public void open(OpenContext context) {
        Alerts.loadIdDigest();
        FastCoding.enable();
        learning = new LearningClock(getRuntimeContext().getState(StateTtl.afterAccess(
                new ValueStateDescriptor<>("learning-start", Types.LONG), settings.learnedTtlMs)),
                settings.learningWindowMs);
        learned = getRuntimeContext().getMapState(StateTtl.afterAccess(
                new MapStateDescriptor<>("learned", Types.STRING, Types.LONG), settings.learnedTtlMs));
        alerts = getRuntimeContext().getMapState(StateTtl.afterWrite(
                new MapStateDescriptor<>("alerts", Types.STRING, TypeInformation.of(Alert.class)),
                settings.learnedTtlMs));
        members = getRuntimeContext().getMapState(StateTtl.afterWrite(
                new MapStateDescriptor<>("members", Types.STRING, Types.STRING), settings.learnedTtlMs));
    }

    @Override
    public void processElement(Observation exec, Context ctx, Collector<Alert> out) throws Exception {
        String binary = exec.process.getBinary();
        long timeMs = exec.timeNs() / 1_000_000L;
        if (!learning.baselineCompleteAt(timeMs)) {
            learned.put(binary, timeMs);
            return;
        }
        if (learned.contains(binary) || declared(exec.workloadKey(), binary)) {
            return;
        }
        BinaryClasses.Kind kind = binaries.classify(binary);
        int risk = switch (kind) {
            case SHELL, NETWORK_TOOL -> 75;
            case INTERPRETER, DOWNLOADED -> 70;
            case OTHER -> 45;
        };
        String summary = exec.workloadKey() + " ran " + binary + " (" + kind.name().toLowerCase().replace('_', ' ')
                + "), never seen in this workload";
        Map<String, String> evidence = Map.of("binary_class", kind.name(), "exec_id", exec.process.getExecId());
        String story = storyOf(exec);
        Alert previous = alerts.get(story);
        Alert alert;
        if (previous == null) {
            alert = Alerts.open(Rule.UNEXPECTED_EXEC, exec.workloadKey() + "|" + story, exec, risk, summary,
                    List.of(Steps.exec(exec)), evidence);
        } else if (story.equals(binary)) {
            // the same binary again: the alert now points at the newest process to act on
            alert = Alerts.revise(previous, exec.timeNs(), risk, previous.getSummary(), List.of(Steps.exec(exec)),
                    settings.maxSteps, evidence).setProcess(exec.process)
                    .setParent(exec.ancestry.length > 0 ? exec.ancestry[0] : null)
                    .setAncestry(List.of(exec.ancestry)).build();
        } else {
            alert = Alerts.revise(previous, exec.timeNs(), risk, previous.getSummary() + "; then " + binary,
                    List.of(Steps.exec(exec)), settings.maxSteps, Map.of()).build();
        }
        members.put(exec.process.getExecId(), story);
        alerts.put(story, alert);
        out.collect(alert);
    }

    /** The storyline of an ancestor when there is one, else the binary's own. */
    private String storyOf(Observation exec) throws Exception {
        for (var ancestor : exec.ancestry) {
            String story = members.get(ancestor.getExecId());
            if (story != null) {
                return story;
            }
        }
        return exec.process.getBinary();
    }

    private boolean declared(String workloadKey, String binary) {
        List<String> allowed = settings.declared.get(workloadKey);
        return allowed != null && allowed.contains(binary);
    }
}
