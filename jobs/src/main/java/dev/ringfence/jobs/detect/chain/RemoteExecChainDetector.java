package dev.ringfence.jobs.detect.chain;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.alert.Alerts;
import dev.ringfence.jobs.alert.Steps;
import dev.ringfence.jobs.detect.BinaryClasses;
import dev.ringfence.jobs.detect.Rule;
import dev.ringfence.jobs.lineage.Flows;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.state.StateTtl;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Remote-exec chain (T1021 + T1059), keyed by the node of the accepting server: an inbound connection from
 * another workload to a server process, and within the window (in either arrival order) a shell, interpreter,
 * network tool or downloaded binary below that server. The alert carries the whole chain (connecting process
 * in the source pod, the accept, the spawned process) and grows with everything its subtree runs next.
 */
public final class RemoteExecChainDetector extends KeyedProcessFunction<String, Observation, Alert> {
    private static final long serialVersionUID = 1L;
    /** Recent connections kept per server process: enough to pick the right one among health checks. */
    private static final int CONTACTS_KEPT = 16;

    private final ChainSettings settings;
    private final BinaryClasses binaries;
    private transient long pendingTtlMs;
    /** server exec id -> its most recent inbound connections, oldest first (bounded). */
    private transient MapState<String, Observation[]> inbound;
    /** suspicious exec id -> its exec, waiting for an inbound connection to an ancestor. */
    private transient MapState<String, Observation> suspects;
    /** exec id in a storyline -> the storyline's root exec id. */
    private transient MapState<String, String> members;
    /** inbound flow id -> root exec id of the storyline it started. */
    private transient MapState<String, String> storyFlows;
    private transient MapState<String, Alert> stories;

    public RemoteExecChainDetector(ChainSettings settings, BinaryClasses binaries) {
        this.settings = settings;
        this.binaries = binaries;
    }

    /**
     * What this detector reads: execs, and connections a known process accepted from another workload. Sources
     * that are no workload (kubelet probes, node addresses) are left out: otherwise a health check just before
     * the shell would be named as its origin.
     */
    public static boolean isRelevant(Observation observation) {
        if (observation.exec() != null) {
            return true;
        }
        return observation.flow() != null && observation.flow().getDirection() == FlowDirection.INBOUND
                && observation.remoteWorkload != null && observation.process != null;
    }

    @Override
    public void open(OpenContext context) {
        Alerts.loadIdDigest();
        FastCoding.enable();
        pendingTtlMs = Math.max(2 * settings.windowMs, 600_000);
        TypeInformation<Observation> observationType = TypeInformation.of(Observation.class);
        inbound = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(
                new MapStateDescriptor<>("inbound", Types.STRING, TypeInformation.of(Observation[].class)),
                pendingTtlMs));
        suspects = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(
                new MapStateDescriptor<>("suspects", Types.STRING, observationType), pendingTtlMs));
        // node maps too: the heap backend's incremental cleanup would build a visitor over every key group on each
        // of the per-exec ancestor lookups (12 % of this task's time in the benchmark, with the maps empty)
        members = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(
                new MapStateDescriptor<>("members", Types.STRING, Types.STRING), settings.storylineIdleMs));
        storyFlows = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(
                new MapStateDescriptor<>("story-flows", Types.STRING, Types.STRING), settings.storylineIdleMs));
        stories = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(
                new MapStateDescriptor<>("stories", Types.STRING, TypeInformation.of(Alert.class)),
                settings.storylineIdleMs));
    }

    @Override
    public void processElement(Observation observation, Context ctx, Collector<Alert> out) throws Exception {
        scheduleSweep(ctx.timerService());
        if (observation.exec() != null) {
            onExec(observation, out);
        } else {
            onInbound(observation, out);
        }
    }

    /** Sweeps the node's maps once the shorter TTL of what was written until now ran out. */
    private void scheduleSweep(TimerService timers) {
        timers.registerProcessingTimeTimer(StateTtl.nextSweepAt(timers.currentProcessingTime(),
                Math.min(pendingTtlMs, settings.storylineIdleMs)));
    }

    /** Drops the node's connections, suspects and storylines whose TTL ran out. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        StateTtl.sweep(inbound);
        StateTtl.sweep(suspects);
        StateTtl.sweep(members);
        StateTtl.sweep(storyFlows);
        StateTtl.sweep(stories);
    }

    private void onExec(Observation exec, Collector<Alert> out) throws Exception {
        for (ProcessRef ancestor : exec.ancestry) {
            String root = members.get(ancestor.getExecId());
            if (root != null) {
                grow(root, exec, out);
                return;
            }
        }
        if (binaries.classify(exec.process.getBinary()) == BinaryClasses.Kind.OTHER) {
            return;
        }
        for (int depth = 0; depth < Math.min(settings.maxDepth, exec.ancestry.length); depth++) {
            Observation accepted = nearestBefore(inbound.get(exec.ancestry[depth].getExecId()), exec);
            if (accepted != null) {
                open(exec, accepted, out);
                return;
            }
        }
        // The connection that caused it may be reported later (flows are reported at close, and the
        // server's earlier connections may still be waiting for their peer's report), so every shell,
        // interpreter or downloaded binary waits for the window: only a connection accepted by one of
        // its ancestors explains it, and the window and the state TTL bound what waits.
        suspects.put(exec.process.getExecId(), exec);
    }

    private void onInbound(Observation accepted, Collector<Alert> out) throws Exception {
        String flowId = accepted.flow().getFlowId();
        String root = storyFlows.get(flowId);
        if (root != null) {
            Alert story = stories.get(root);
            if (story != null && accepted.peerProcess != null && !story.getEvidence().containsKey("peer_exec_id")) {
                // the source node's report arrived after the alert: the story now reaches into the source pod
                Alert grown = Alerts.revise(story, story.getTimeNs(), story.getRiskScore(), story.getSummary(),
                        List.of(Steps.peerConnect(accepted)), settings.maxSteps,
                        Map.of("peer_exec_id", accepted.peerProcess.getExecId())).build();
                stories.put(root, grown);
                out.collect(grown);
            }
            return;
        }
        remember(accepted);
        List<Observation> explained = new ArrayList<>();
        for (Iterator<Map.Entry<String, Observation>> it = suspects.iterator(); it.hasNext(); ) {
            Observation suspect = it.next().getValue();
            if (follows(suspect, accepted) && below(suspect, accepted.process.getExecId())) {
                explained.add(suspect);
                it.remove();
            } else if (suspect.timeNs() < contactTimeNs(accepted) - settings.windowMs * 1_000_000L) {
                it.remove();
            }
        }
        if (explained.isEmpty()) {
            return;
        }
        // the earliest suspect is the top of the subtree (the shell); the others are what it ran
        explained.sort(java.util.Comparator.comparingLong(Observation::timeNs));
        open(explained.getFirst(), accepted, out);
        for (Observation later : explained.subList(1, explained.size())) {
            onExec(later, out);
        }
    }

    private boolean below(Observation exec, String serverExecId) {
        for (int depth = 0; depth < Math.min(settings.maxDepth, exec.ancestry.length); depth++) {
            if (exec.ancestry[depth].getExecId().equals(serverExecId)) {
                return true;
            }
        }
        return false;
    }

    private static long contactTimeNs(Observation accepted) {
        return Flows.startTimeNs(accepted.timeNs(), accepted.flow());
    }

    /** The exec started after the connection did, within the window. */
    private boolean follows(Observation exec, Observation accepted) {
        long gap = exec.timeNs() - contactTimeNs(accepted);
        return gap >= 0 && gap <= settings.windowMs * 1_000_000L;
    }

    /** Of a server's recent connections, the one the exec followed most closely: the likeliest cause. */
    private Observation nearestBefore(Observation[] contacts, Observation exec) {
        Observation nearest = null;
        for (Observation contact : contacts == null ? new Observation[0] : contacts) {
            if (follows(exec, contact) && (nearest == null || contactTimeNs(contact) > contactTimeNs(nearest))) {
                nearest = contact;
            }
        }
        return nearest;
    }

    /** Keeps the server's most recent connections: reports arrive out of order, so the order is by event time. */
    private void remember(Observation accepted) throws Exception {
        String server = accepted.process.getExecId();
        Observation[] known = inbound.get(server);
        List<Observation> contacts = new ArrayList<>(known == null ? List.of() : List.of(known));
        String flowId = accepted.flow().getFlowId();
        // an accept comes twice, bare from the lineage and joined with its connecting side, in either order
        if (accepted.peerProcess == null
                && contacts.stream().anyMatch(c -> c.flow().getFlowId().equals(flowId) && c.peerProcess != null)) {
            return;
        }
        contacts.removeIf(c -> c.flow().getFlowId().equals(flowId));
        contacts.add(accepted);
        contacts.sort(java.util.Comparator.comparingLong(RemoteExecChainDetector::contactTimeNs));
        inbound.put(server, contacts.subList(Math.max(0, contacts.size() - CONTACTS_KEPT), contacts.size())
                .toArray(Observation[]::new));
    }

    private void open(Observation exec, Observation accepted, Collector<Alert> out) throws Exception {
        List<StorylineStep> steps = new ArrayList<>();
        if (accepted.peerProcess != null) {
            steps.add(Steps.peerConnect(accepted));
        }
        steps.add(Steps.flow(accepted));
        steps.add(Steps.exec(exec));
        String source = accepted.remoteWorkloadKey() != null ? accepted.remoteWorkloadKey()
                : accepted.flow().getRemote().getIp();
        String summary = source + " connected to " + accepted.workloadKey() + " (" + accepted.process.getBinary()
                + ", port " + accepted.flow().getLocal().getPort() + "), which then spawned "
                + Steps.commandLine(exec.process);
        Map<String, String> evidence = new java.util.HashMap<>(Map.of(
                "server_exec_id", accepted.process.getExecId(),
                "inbound_flow_id", accepted.flow().getFlowId(),
                "source_workload", source));
        if (accepted.peerProcess != null) {
            evidence.put("peer_exec_id", accepted.peerProcess.getExecId());
        }
        String root = exec.process.getExecId();
        Alert alert = Alert.newBuilder(Alerts.open(Rule.REMOTE_EXEC, exec.node() + "|" + root, exec, 85, summary,
                        steps, evidence))
                .setSource(accepted.flow().getRemote())
                .setDestination(accepted.flow().getLocal())
                .setDestinationWorkload(accepted.workload())
                .build();
        members.put(root, root);
        storyFlows.put(accepted.flow().getFlowId(), root);
        stories.put(root, alert);
        out.collect(alert);
    }

    private void grow(String root, Observation exec, Collector<Alert> out) throws Exception {
        Alert story = stories.get(root);
        members.put(exec.process.getExecId(), root);
        if (story == null) {
            return;
        }
        boolean escalates = binaries.classify(exec.process.getBinary()) != BinaryClasses.Kind.OTHER;
        String summary = story.getStoryline().size() < settings.maxSteps
                ? story.getSummary() + "; then " + Steps.commandLine(exec.process) : story.getSummary();
        Alert grown = Alerts.revise(story, exec.timeNs(), escalates ? 95 : story.getRiskScore(), summary,
                List.of(Steps.exec(exec)),
                settings.maxSteps, Map.of()).build();
        stories.put(root, grown);
        out.collect(grown);
    }
}
