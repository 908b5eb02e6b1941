package dev.ringfence.jobs.lineage;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.ProcessFork;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.config.LineageSettings;
import dev.ringfence.jobs.state.StateTtl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The correlation layer, keyed by node: the node's process tree (one map entry per exec_id, so a child's
 * ancestry is a local walk), flow attribution to the owning process, and remote IP -> workload resolution
 * through the broadcast IP table. Emits an {@link Observation} per exec and per flow report; an east-west report
 * whose peer IP is not known yet waits for the peer's identity in a {@link PeerHold}.
 */
public final class LineageFunction extends KeyedBroadcastProcessFunction<String, Event, Event, Observation> {
    private static final long serialVersionUID = 1L;
    /** Exited processes are swept in batches: one timer per bucket, not per exit. */
    private static final long SWEEP_BUCKET_MS = 10_000;

    public static final MapStateDescriptor<String, IpBinding[]> IP_BINDINGS = new MapStateDescriptor<>(
            "ip-bindings", Types.STRING, TypeInformation.of(IpBinding[].class));
    public static final MapStateDescriptor<String, String[]> POD_IPS = new MapStateDescriptor<>(
            "pod-ips", Types.STRING, TypeInformation.of(String[].class));

    private final LineageSettings settings;
    private transient ClusterNetworks cluster;
    private transient MapState<String, TrackedProcess> processes;
    /**
     * Sweep bucket (event time, ms) -> exec ids of the processes whose retention ends in it: an exit sweep reads
     * only its own bucket, not the whole tree nor every exit still retained.
     */
    private transient MapState<Long, String[]> exitsDue;
    private transient MapState<String, long[]> flowBytes;
    private transient PeerHold peerHold;
    private transient Counter lateEvents;
    private transient Counter unknownOwners;
    private transient Counter heldForPeer;
    private transient Counter unresolvedAfterHold;

    public LineageFunction(LineageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        FastCoding.enable();
        cluster = ClusterNetworks.of(settings.clusterCidrs);
        processes = getRuntimeContext().getMapState(StateTtl.sweptAfterAccess(new MapStateDescriptor<>(
                "processes", Types.STRING, TypeInformation.of(TrackedProcess.class)), settings.processIdleTtlMs));
        exitsDue = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(new MapStateDescriptor<>(
                "exits-due", Types.LONG, TypeInformation.of(String[].class)), settings.processIdleTtlMs));
        flowBytes = getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(new MapStateDescriptor<>(
                "flow-bytes", Types.STRING, TypeInformation.of(long[].class)), settings.connectionJoinTtlMs));
        // the hold's own timers release it; the TTL only bounds what a lost timer could leave behind
        peerHold = new PeerHold(getRuntimeContext().getMapState(StateTtl.sweptAfterWrite(new MapStateDescriptor<>(
                "held-for-peer", Types.STRING, TypeInformation.of(HeldFlow[].class)),
                10 * settings.peerIdentityHoldMs + 60_000)), settings.peerIdentityHoldMs);
        var metrics = getRuntimeContext().getMetricGroup().addGroup("lineage");
        lateEvents = metrics.counter("lateEvents");
        unknownOwners = metrics.counter("flowsWithUnknownProcess");
        heldForPeer = metrics.counter("flowsHeldForPeerIdentity");
        unresolvedAfterHold = metrics.counter("flowsUnresolvedAfterHold");
    }

    @Override
    public void processBroadcastElement(Event event, Context ctx, Collector<Observation> out) throws Exception {
        if (event.getPayload() instanceof IdentityUpdate update) {
            ipTable(ctx.getBroadcastState(IP_BINDINGS), ctx.getBroadcastState(POD_IPS)).apply(update, event.getTimeNs());
        }
    }

    @Override
    public void processElement(Event event, ReadOnlyContext ctx, Collector<Observation> out) throws Exception {
        boolean late = ctx.timestamp() != null && ctx.timestamp() < ctx.timerService().currentWatermark();
        if (late) {
            lateEvents.inc();
        }
        Observation observation = switch (event.getPayload()) {
            case ProcessExec exec -> onExec(event, exec, ctx);
            case ProcessFork fork -> onFork(event, fork, ctx);
            case ProcessExit exit -> onExit(event, exit, ctx);
            case NetworkFlow flow -> onFlow(event, flow, ctx);
            default -> null;
        };
        if (observation == null) {
            return;
        }
        observation.late = late;
        if (observation.flow() != null && mustHold(observation)) {
            hold(observation, ctx, out);
        } else {
            out.collect(observation);
        }
    }

    /**
     * Unresolved east-west reports wait, and so do later reports to an IP already waiting (order). Egress never
     * waits: only addresses inside the cluster are held, so an egress report needs no state lookup here.
     */
    private boolean mustHold(Observation flow) throws Exception {
        return settings.peerIdentityHoldMs > 0 && flow.remoteInternal
                && (flow.remoteWorkload == null || peerHold.holds(flow.flow().getRemote().getIp()));
    }

    private void hold(Observation flow, ReadOnlyContext ctx, Collector<Observation> out) throws Exception {
        heldForPeer.inc();
        long nowMs = ctx.timerService().currentProcessingTime();
        if (peerHold.add(flow.flow().getRemote().getIp(), flow, nowMs)) {
            ctx.timerService().registerProcessingTimeTimer(nowMs + PeerHold.RECHECK_MS);
        }
        if (flow.firstReport && flow.flow().getDirection() == FlowDirection.OUTBOUND) {
            // a scan's probes mostly hit addresses no pod holds: the scan detector must not wait for them
            Observation early = flow.copy();
            early.resolution = PeerResolution.PENDING;
            out.collect(early);
        }
    }

    private Observation onExec(Event event, ProcessExec exec, ReadOnlyContext ctx) throws Exception {
        ProcessRef ref = ProcessRef.newBuilder()
                .setExecId(exec.getExecId())
                .setParentExecId(exec.getParentExecId())
                .setNode(event.getNode())
                .setPid(exec.getPid())
                .setBinary(exec.getBinary())
                .setArgv(exec.getArgv())
                .setStartNs(exec.getStartNs())
                .setWorkloadKey(exec.getWorkload().getWorkloadKey())
                .build();
        TrackedProcess known = processes.get(exec.getExecId());
        TrackedProcess tracked = new TrackedProcess(ref, false);
        if (known != null) {
            // the exit can arrive first when events are out of order
            tracked.endNs = known.endNs;
        }
        processes.put(exec.getExecId(), tracked);
        scheduleProcessSweep(ctx);
        return observation(event, ref);
    }

    private Observation onFork(Event event, ProcessFork fork, ReadOnlyContext ctx) throws Exception {
        if (!processes.contains(fork.getExecId())) {
            processes.put(fork.getExecId(), new TrackedProcess(ProcessRef.newBuilder()
                    .setExecId(fork.getExecId())
                    .setParentExecId(fork.getParentExecId())
                    .setNode(event.getNode())
                    .setPid(fork.getPid())
                    .setBinary(fork.getBinary())
                    .setStartNs(fork.getStartNs())
                    .setWorkloadKey(fork.getWorkload().getWorkloadKey())
                    .build(), true));
            scheduleProcessSweep(ctx);
        }
        return null;
    }

    private Observation onExit(Event event, ProcessExit exit, ReadOnlyContext ctx) throws Exception {
        TrackedProcess tracked = processes.get(exit.getExecId());
        if (tracked == null) {
            return null;
        }
        tracked.endNs = event.getTimeNs();
        processes.put(exit.getExecId(), tracked);
        long bucket = ((ctx.timestamp() + settings.exitRetentionMs) / SWEEP_BUCKET_MS + 1) * SWEEP_BUCKET_MS;
        String[] due = exitsDue.get(bucket);
        if (due == null) {
            exitsDue.put(bucket, new String[] {exit.getExecId()});
            ctx.timerService().registerEventTimeTimer(bucket);
        } else {
            String[] more = Arrays.copyOf(due, due.length + 1);
            more[due.length] = exit.getExecId();
            exitsDue.put(bucket, more);
        }
        return null;
    }

    /** Sweeps the node's flows once the TTL of those written until now ran out. */
    private void scheduleFlowSweep(ReadOnlyContext ctx) {
        ctx.timerService().registerProcessingTimeTimer(StateTtl.nextSweepAt(
                ctx.timerService().currentProcessingTime(), settings.connectionJoinTtlMs));
    }

    /**
     * Sweeps the node's process tree once a process idle TTL after now: the processes neither seen nor read since
     * the sweep before are dropped (a sweep reads every process, which counts as an access).
     */
    private void scheduleProcessSweep(ReadOnlyContext ctx) {
        ctx.timerService().registerProcessingTimeTimer(StateTtl.nextSweepAt(
                ctx.timerService().currentProcessingTime(), settings.processIdleTtlMs));
    }

    /**
     * Event time: drops exited processes past their retention. Processing time: releases flows held for their
     * peer's identity and, on the sweep grids, drops flows whose TTL ran out without an end report and processes
     * idle for their TTL (never exited, or whose exit was lost).
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Observation> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (timestamp % settings.connectionJoinTtlMs == 0) {
                StateTtl.sweep(flowBytes);
            }
            if (timestamp % settings.processIdleTtlMs == 0) {
                StateTtl.sweep(processes);
                StateTtl.sweep(exitsDue);
            }
            PeerHold.Release release = peerHold.release(timestamp,
                    ipTable(ctx.getBroadcastState(IP_BINDINGS), ctx.getBroadcastState(POD_IPS)), out);
            unresolvedAfterHold.inc(release.unresolved());
            if (release.stillHeld()) {
                ctx.timerService().registerProcessingTimeTimer(timestamp + PeerHold.RECHECK_MS);
            }
            return;
        }
        String[] due = exitsDue.get(timestamp);
        if (due != null) {
            for (String execId : due) {
                processes.remove(execId);
            }
            exitsDue.remove(timestamp);
        }
    }

    private Observation onFlow(Event event, NetworkFlow flow, ReadOnlyContext ctx) throws Exception {
        TrackedProcess owner = flow.getExecId() == null ? null : processes.get(flow.getExecId());
        ProcessRef process;
        if (owner != null) {
            process = owner.ref;
        } else {
            unknownOwners.inc();
            process = flow.getExecId() == null ? null : ProcessRef.newBuilder()
                    .setExecId(flow.getExecId())
                    .setNode(event.getNode())
                    .setPid(flow.getPid() == null ? 0 : flow.getPid())
                    .setBinary(flow.getBinary() == null ? "?" : flow.getBinary())
                    .setStartNs(0)
                    .setWorkloadKey(flow.getWorkload().getWorkloadKey())
                    .build();
        }
        Observation observation = observation(event, process);
        String remoteIp = flow.getRemote().getIp();
        observation.remoteWorkload = ipTable(ctx.getBroadcastState(IP_BINDINGS), ctx.getBroadcastState(POD_IPS))
                .resolve(remoteIp, event.getTimeNs());
        observation.remoteInternal = observation.remoteWorkload != null || cluster.contains(remoteIp);
        long[] previous = flowBytes.get(flow.getFlowId());
        observation.firstReport = previous == null;
        observation.bytesSentDelta = Math.max(0, flow.getBytesSent() - (previous == null ? 0 : previous[0]));
        observation.bytesReceivedDelta = Math.max(0, flow.getBytesReceived() - (previous == null ? 0 : previous[1]));
        if (Flows.ended(flow)) {
            flowBytes.remove(flow.getFlowId());
        } else {
            if (previous == null) {
                scheduleFlowSweep(ctx);
            }
            flowBytes.put(flow.getFlowId(), new long[] {
                    Math.max(flow.getBytesSent(), previous == null ? 0 : previous[0]),
                    Math.max(flow.getBytesReceived(), previous == null ? 0 : previous[1])});
        }
        return observation;
    }

    private Observation observation(Event event, ProcessRef process) throws Exception {
        Observation observation = new Observation();
        observation.event = event;
        observation.process = process;
        observation.ancestry = process == null ? new ProcessRef[0] : ancestry(process);
        return observation;
    }

    /** Parents of a process, nearest first, up to the configured depth; stops at unknown parents and cycles. */
    private ProcessRef[] ancestry(ProcessRef process) throws Exception {
        List<ProcessRef> chain = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        visited.add(process.getExecId());
        String parent = process.getParentExecId();
        while (parent != null && chain.size() < settings.ancestryDepth && visited.add(parent)) {
            TrackedProcess tracked = processes.get(parent);
            if (tracked == null) {
                break;
            }
            chain.add(tracked.ref);
            parent = tracked.ref.getParentExecId();
        }
        return chain.toArray(ProcessRef[]::new);
    }

    /** Only the broadcast side writes (it passes writable state); the keyed side only resolves. */
    private IpTable ipTable(ReadOnlyBroadcastState<String, IpBinding[]> bindings,
            ReadOnlyBroadcastState<String, String[]> podIps) {
        return new IpTable(new IpTable.Store() {
            @Override
            public IpBinding[] bindings(String ip) throws Exception {
                return bindings.get(ip);
            }

            @Override
            public void putBindings(String ip, IpBinding[] value) throws Exception {
                ((BroadcastState<String, IpBinding[]>) bindings).put(ip, value);
            }

            @Override
            public String[] podIps(String pod) throws Exception {
                return podIps.get(pod);
            }

            @Override
            public void putPodIps(String pod, String[] ips) throws Exception {
                ((BroadcastState<String, String[]>) podIps).put(pod, ips);
            }
        }, settings.ipBindingGraceMs);
    }
}
