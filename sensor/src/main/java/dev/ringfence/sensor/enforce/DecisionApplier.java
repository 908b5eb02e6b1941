package dev.ringfence.sensor.enforce;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.EnforcementEventKind;
import dev.ringfence.contract.Endpoint;
import dev.ringfence.contract.TransportProtocol;
import dev.ringfence.feedback.rails.ExecIds;
import dev.ringfence.feedback.rails.ProtectedSet;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.enforce.exec.ExecPolicy;
import dev.ringfence.sensor.flow.FlowDecoder;
import dev.ringfence.sensor.enforce.exec.Fingerprint;
import dev.ringfence.sensor.enforce.net.Cidr;
import dev.ringfence.sensor.enforce.net.Destination;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the decisions delivered to this node: re-checks the safety rails (the protected set, pid 1,
 * the sensor itself), honours dry runs, applies each decision id at most once, undoes blocks,
 * isolations and exec denials on release or when their TTL runs out, and reports every step as an
 * ack and an {@link EnforcementAction} event.
 */
public final class DecisionApplier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionApplier.class);
    private static final int REMEMBERED_DECISIONS = 10_000;
    private static final byte[] V4_MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    /** An applied decision that lasts until released or expired. */
    private record Active(Decision decision, long cgroupId, Runnable undo, ScheduledFuture<?> expiry) {}

    private final String node;
    private final Enforcer enforcer;
    private final ProtectedSet rails;
    private final Workloads workloads;
    private final ProcessKiller killer;
    private final Consumer<EnforcementAction> events;
    private final Clock clock;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("enforce-ttl").daemon().factory());
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Map<String, DecisionAck> answered = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DecisionAck> eldest) {
            return size() > REMEMBERED_DECISIONS;
        }
    };

    private final DecisionStore store;
    /** Set only while restore() re-applies a stored decision: its original apply time, for TTLs. */
    private Long restoringAppliedAt;

    /** stateDirectory: where the decisions in force are kept for the next sensor (null: nowhere). */
    public DecisionApplier(String node, Enforcer enforcer, ProtectedSet rails, Path cgroupRoot,
                           ExecStarts execStarts, Consumer<EnforcementAction> events, Clock clock, Path stateDirectory) {
        this.store = stateDirectory == null ? null : new DecisionStore(stateDirectory);
        this.node = node;
        this.enforcer = enforcer;
        this.rails = rails.plus(java.util.Set.of(1, (int) ProcessHandle.current().pid()), java.util.Set.of(), java.util.Set.of(), java.util.Set.of());
        this.workloads = new Workloads(cgroupRoot);
        this.killer = new ProcessKiller(execStarts);
        this.events = events;
        this.clock = clock;
    }

    /** Applies (or refuses) the decision and returns its ack; a decision id seen before gets its first ack again. */
    public synchronized DecisionAck apply(Decision decision) {
        DecisionAck previous = answered.get(decision.getDecisionId());
        if (previous != null) {
            return previous;
        }
        DecisionAck ack;
        try {
            ack = decide(decision);
        } catch (Refused e) {
            ack = ack(decision, AckOutcome.REFUSED, e.getMessage(), null);
            emit(EnforcementEventKind.REFUSED, decision, 0, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("enforce apply_failed decision={} error={}", decision.getDecisionId(), e.toString());
            ack = ack(decision, AckOutcome.REFUSED, "cannot apply: " + e.getMessage(), null);
            emit(EnforcementEventKind.REFUSED, decision, 0, ack.getReason());
        }
        answered.put(decision.getDecisionId(), ack);
        LOG.info("enforce decision={} action={} outcome={} reason={}", decision.getDecisionId(), decision.getAction(),
                ack.getOutcome(), ack.getReason());
        return ack;
    }

    /**
     * After a restart over pinned maps: re-applies the decisions an earlier sensor had in force
     * (their TTLs counted from when they were first applied; run-out ones expire now), then removes
     * the pinned entries no stored decision owns. Returns how many decisions are in force.
     */
    public synchronized int restore() {
        if (store == null) {
            return 0;
        }
        for (DecisionStore.Stored stored : store.load()) {
            Decision decision = stored.decision();
            restoringAppliedAt = stored.appliedAtMillis();
            try {
                DecisionAck ack = decide(decision);
                answered.put(decision.getDecisionId(), ack);
                if (ack.getOutcome() != AckOutcome.APPLIED) {
                    store.remove(decision.getDecisionId());
                }
            } catch (RuntimeException e) {
                LOG.warn("enforce restore_failed decision={} error={}", decision.getDecisionId(), e.toString());
                store.remove(decision.getDecisionId());
            } finally {
                restoringAppliedAt = null;
            }
        }
        int pruned = enforcer.connections().pruneUnowned() + enforcer.exec().pruneUnowned();
        LOG.info("enforce restored decisions={} pruned_entries={}", active.size(), pruned);
        return active.size();
    }

    /** An action the kernel took, as a HIT event naming the decision in force on that workload. */
    public void onHit(Enforcer.Hit hit) {
        boolean exec = hit.kind() == KernelStructs.HIT_EXEC_KILLED;
        Active cause = active.values().stream()
                .filter(a -> a.cgroupId() == hit.cgroupId())
                .filter(a -> exec == (a.decision().getAction() == DecisionAction.DENY_EXEC))
                .findFirst().orElse(null);
        EnforcementAction.Builder event = EnforcementAction.newBuilder()
                .setKind(EnforcementEventKind.HIT)
                .setDecisionId(cause == null ? null : cause.decision().getDecisionId())
                .setAction(exec ? DecisionAction.DENY_EXEC
                        : cause == null ? DecisionAction.BLOCK_CONNECTION : cause.decision().getAction())
                .setPid(hit.pid() == 0 ? null : hit.pid())
                .setCgroupId(hit.cgroupId())
                .setWorkload(cause == null ? null : cause.decision().getTarget().getWorkload())
                .setReason(switch (hit.kind()) {
                    case KernelStructs.HIT_EXEC_KILLED -> "exec killed: inode " + hit.inode() + " dev " + hit.dev();
                    case KernelStructs.HIT_INBOUND_DROPPED -> "inbound connection dropped";
                    case KernelStructs.HIT_CONNECTION_CUT -> "open connection cut";
                    default -> "connection refused";
                });
        if (hit.kind() == KernelStructs.HIT_CONNECT_REFUSED || hit.kind() == KernelStructs.HIT_CONNECTION_CUT) {
            event.setDestination(new Endpoint(ip(hit.addr()), hit.port()));
        }
        events.accept(event.build());
    }

    /** The decision ids in force now. */
    public java.util.Set<String> activeDecisions() {
        return java.util.Set.copyOf(active.keySet());
    }

    private DecisionAck decide(Decision decision) {
        DecisionTarget target = decision.getTarget();
        if (target == null) {
            throw new Refused("decision has no target");
        }
        if (!node.equals(target.getNode())) {
            throw new Refused("decision is for node " + target.getNode() + ", this is " + node);
        }
        long nowNs = clock.millis() * 1_000_000L;
        if (restoringAppliedAt == null && decision.getExpiresNs() > 0 && decision.getExpiresNs() <= nowNs) {
            emit(EnforcementEventKind.EXPIRED, decision, 0, "arrived after it expired");
            return ack(decision, AckOutcome.EXPIRED, "arrived after it expired", null);
        }
        if (decision.getAction() == DecisionAction.RELEASE) {
            return release(decision);
        }
        rails.protects(decision).ifPresent(reason -> {
            throw new Refused(reason);
        });
        if (decision.getDryRun()) {
            emit(EnforcementEventKind.APPLIED, decision, 0, "dry run: nothing applied");
            return ack(decision, AckOutcome.DRY_RUN, null, "dry run: nothing applied");
        }
        return switch (decision.getAction()) {
            case KILL_PROCESS -> kill(decision);
            case BLOCK_CONNECTION -> block(decision);
            case ISOLATE_WORKLOAD -> isolate(decision);
            case DENY_EXEC -> denyExec(decision);
            case RELEASE -> throw new IllegalStateException("handled above");
        };
    }

    private DecisionAck kill(Decision decision) {
        String execId = decision.getTarget().getExecId();
        if (!ExecIds.isValid(execId)) {
            throw new Refused("KILL_PROCESS needs a valid exec id <node>:<pid>:<start_ns>, got " + execId);
        }
        if (!node.equals(ExecIds.node(execId).orElseThrow())) {
            throw new Refused("exec id " + execId + " is not on node " + node);
        }
        String detail = killer.kill(ExecIds.pid(execId).orElseThrow(), Long.parseLong(execId.substring(execId.lastIndexOf(':') + 1)));
        emit(EnforcementEventKind.APPLIED, decision, 0, detail);
        return ack(decision, AckOutcome.APPLIED, null, detail);
    }

    private DecisionAck block(Decision decision) {
        DecisionTarget target = decision.getTarget();
        long cgroupId = workloads.cgroupOf(target.getWorkload());
        if (target.getDestinationCidr() == null) {
            throw new Refused("BLOCK_CONNECTION needs destination_cidr");
        }
        Destination destination;
        try {
            int port = target.getDestinationPort() == null ? 0 : target.getDestinationPort();
            destination = new Destination(Cidr.parse(target.getDestinationCidr()), port, protocol(target.getTransport()));
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        int cut = enforcer.connections().block(cgroupId, destination);
        String detail = "map entry " + target.getDestinationCidr() + ":" + destination.port() + "/" + destination.protocol()
                + ", open connections cut in its namespaces: " + cut;
        return activate(decision, cgroupId, () -> enforcer.connections().unblock(cgroupId, destination.network()), detail);
    }

    private DecisionAck isolate(Decision decision) {
        long cgroupId = workloads.cgroupOf(decision.getTarget().getWorkload());
        int cut = enforcer.connections().isolate(cgroupId);
        return activate(decision, cgroupId, () -> enforcer.connections().release(cgroupId),
                "isolated cgroup " + cgroupId + ", open connections cut in its namespaces: " + cut);
    }

    private DecisionAck denyExec(Decision decision) {
        long cgroupId = workloads.cgroupOf(decision.getTarget().getWorkload());
        String binary = decision.getTarget().getBinaryPath();
        if (binary == null || !Files.isRegularFile(Path.of(binary))) {
            throw new Refused("DENY_EXEC needs binary_path naming a file on this node, got " + binary);
        }
        enforcer.exec().police(cgroupId, ExecPolicy.Mode.DENY_LIST);
        Fingerprint fingerprint = enforcer.exec().list(cgroupId, Path.of(binary));
        return activate(decision, cgroupId, () -> enforcer.exec().unlist(cgroupId, fingerprint),
                "denied sha256 " + fingerprint.sha256() + " in cgroup " + cgroupId);
    }

    private DecisionAck activate(Decision decision, long cgroupId, Runnable undo, String detail) {
        long appliedAt = restoringAppliedAt != null ? restoringAppliedAt : clock.millis();
        ScheduledFuture<?> expiry = decision.getTtlMs() > 0
                ? timers.schedule(() -> expire(decision.getDecisionId()), Math.max(0, appliedAt + decision.getTtlMs() - clock.millis()),
                        TimeUnit.MILLISECONDS)
                : null;
        active.put(decision.getDecisionId(), new Active(decision, cgroupId, undo, expiry));
        if (store != null && restoringAppliedAt == null) {
            store.save(decision, appliedAt);
        }
        emit(EnforcementEventKind.APPLIED, decision, cgroupId, detail);
        return ack(decision, AckOutcome.APPLIED, null, detail);
    }

    private DecisionAck release(Decision decision) {
        String releaseId = decision.getTarget().getReleaseDecisionId();
        Active lifted = releaseId == null ? null : active.remove(releaseId);
        if (lifted == null) {
            throw new Refused("no active decision " + releaseId + " to release");
        }
        if (lifted.expiry() != null) {
            lifted.expiry().cancel(false);
        }
        lifted.undo().run();
        forget(releaseId);
        emit(EnforcementEventKind.RELEASED, lifted.decision(), lifted.cgroupId(), "released by " + decision.getDecisionId());
        return ack(decision, AckOutcome.RELEASED, null, "released " + releaseId);
    }

    private void expire(String decisionId) {
        try {
            Active lifted = active.remove(decisionId);
            if (lifted != null) {
                lifted.undo().run();
                forget(decisionId);
                emit(EnforcementEventKind.EXPIRED, lifted.decision(), lifted.cgroupId(), "ttl " + lifted.decision().getTtlMs() + " ms ran out");
                LOG.info("enforce expired decision={}", decisionId);
            }
        } catch (RuntimeException e) {
            LOG.warn("enforce expiry_failed decision={} error={}", decisionId, e.toString());
        }
    }

    /** The kernel holds IPv4 as ::ffff:a.b.c.d; events name it as a dotted quad. */
    private static String ip(byte[] address) {
        boolean v4Mapped = java.util.Arrays.equals(address, 0, 12, V4_MAPPED, 0, 12);
        return v4Mapped ? FlowDecoder.ip(java.util.Arrays.copyOfRange(address, 12, 16)) : FlowDecoder.ip(address);
    }

    private void forget(String decisionId) {
        if (store != null) {
            store.remove(decisionId);
        }
    }

    private static Destination.Protocol protocol(TransportProtocol transport) {
        if (transport == null) {
            return Destination.Protocol.ANY;
        }
        return transport == TransportProtocol.UDP ? Destination.Protocol.UDP : Destination.Protocol.TCP;
    }

    private DecisionAck ack(Decision decision, AckOutcome outcome, String reason, String detail) {
        return DecisionAck.newBuilder().setDecisionId(decision.getDecisionId()).setNode(node)
                .setTimeNs(clock.millis() * 1_000_000L).setOutcome(outcome).setReason(reason).setDetail(detail).build();
    }

    private void emit(EnforcementEventKind kind, Decision decision, long cgroupId, String reason) {
        DecisionTarget target = decision.getTarget();
        events.accept(EnforcementAction.newBuilder()
                .setKind(kind)
                .setDecisionId(decision.getDecisionId())
                .setAction(decision.getAction())
                .setExecId(target == null ? null : target.getExecId())
                .setBinary(target == null ? null : target.getBinaryPath())
                .setReason(reason)
                .setDryRun(decision.getDryRun())
                .setCgroupId(cgroupId)
                .setWorkload(target == null ? null : target.getWorkload())
                .build());
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
