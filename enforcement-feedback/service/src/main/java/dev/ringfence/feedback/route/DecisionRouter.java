package dev.ringfence.feedback.route;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.feedback.audit.AuditTrail;
import dev.ringfence.feedback.audit.EpochNanos;
import dev.ringfence.feedback.metrics.FeedbackMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers accepted decisions to the sensor of their node and keeps them until the sensor acks,
 * they expire, their TTL ends or they are released. A node's decisions go only to the link whose
 * certificate names that node. Unacked decisions are re-sent every retry interval while the node is
 * connected, and all of them again when it reconnects. Confined to the decision loop thread.
 */
public final class DecisionRouter {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionRouter.class);
    private static final ContractCodec<Decision> CODEC = ContractCodec.of(Decision.class);

    private final Map<String, TrackedDecision> tracked = new LinkedHashMap<>();
    private final Map<String, SensorChannel> links = new HashMap<>();
    private final AuditTrail audit;
    private final FeedbackMetrics metrics;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long retryNanos;

    public DecisionRouter(AuditTrail audit, FeedbackMetrics metrics, Clock clock, LongSupplier nanoTime, Duration retryInterval) {
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.retryNanos = retryInterval.toNanos();
    }

    /** Tracks an accepted decision and sends it now if its node is connected. */
    public void route(Decision decision, byte[] bytes, String actor) {
        TrackedDecision entry = new TrackedDecision(decision, bytes, actor, nanoTime.getAsLong(), EpochNanos.now(clock),
                EnforcementState.AWAITING_ACK);
        tracked.put(entry.id(), entry);
        SensorChannel link = links.get(entry.node());
        if (link != null) {
            send(link, entry);
        }
        metrics.awaitingAck(awaiting());
    }

    /** The service is in dry-run mode: record the decision as what would have been enforced, send nothing. */
    public void recordDryRun(Decision decision, byte[] bytes, String actor) {
        if (decision.getAction() == DecisionAction.KILL_PROCESS || decision.getAction() == DecisionAction.RELEASE) {
            return; // instantaneous: nothing stays in force to list
        }
        TrackedDecision entry = new TrackedDecision(decision, bytes, actor, nanoTime.getAsLong(), EpochNanos.now(clock),
                EnforcementState.DRY_RUN);
        entry.settle(EnforcementState.DRY_RUN, entry.receivedEpochNs());
        tracked.put(entry.id(), entry);
    }

    /** A sensor connected: it replaces any earlier link of its node and gets everything its node owes an ack for. */
    public void connect(SensorChannel link) {
        SensorChannel previous = links.put(link.node(), link);
        if (previous != null && previous != link) {
            LOG.warn("event=link_superseded node={} reason=\"a newer link with the same node certificate connected\"", link.node());
            previous.supersede();
        }
        List<TrackedDecision> owed = tracked.values().stream()
                .filter(entry -> entry.node().equals(link.node()) && entry.state() == EnforcementState.AWAITING_ACK)
                .toList();
        link.welcome(owed.size());
        owed.forEach(entry -> send(link, entry));
        metrics.connectedSensors(links.size());
        LOG.info("event=sensor_connected node={} redelivering={}", link.node(), owed.size());
    }

    public void disconnect(SensorChannel link) {
        if (links.remove(link.node(), link)) {
            metrics.connectedSensors(links.size());
            LOG.info("event=sensor_disconnected node={}", link.node());
        }
    }

    public boolean isConnected(String node) {
        return links.containsKey(node);
    }

    /** An ack from the sensor behind {@code link}: only that node's decisions can be acked over it. */
    public void ack(SensorChannel link, DecisionAck ack) {
        String actor = "ringfence://node/" + link.node();
        TrackedDecision entry = tracked.get(ack.getDecisionId());
        if (!link.node().equals(ack.getNode()) || entry == null || !entry.node().equals(link.node())) {
            String reason = !link.node().equals(ack.getNode())
                    ? "ignored: ack names node '" + ack.getNode() + "' but came over the link of node '" + link.node() + "'"
                    : "ignored: no decision " + ack.getDecisionId() + " awaits an ack from node " + link.node();
            audit.write(AuditTrail.entry(clock, AuditKind.ACK_RECEIVED, ack.getDecisionId(), actor, null, ack, reason, null));
            return;
        }
        boolean first = entry.state() == EnforcementState.AWAITING_ACK;
        long latencyNanos = nanoTime.getAsLong() - entry.receivedNanos();
        audit.write(AuditTrail.entry(clock, AuditKind.ACK_RECEIVED, ack.getDecisionId(), actor, null, ack,
                first ? null : "repeat ack", first ? latencyNanos / 1_000_000 : null));
        if (!first) {
            return;
        }
        metrics.decision(entry.decision().getAction(), "ack_" + ack.getOutcome().name().toLowerCase(java.util.Locale.ROOT));
        metrics.delivered(latencyNanos);
        settle(entry, ack.getOutcome(), EpochNanos.now(clock));
        metrics.awaitingAck(awaiting());
    }

    /** Recovery after a restart: a decision the audit trail shows as accepted, tracked again without a new audit entry. */
    public void restore(Decision decision, String actor, long receivedEpochNs) {
        long age = Math.max(0, EpochNanos.now(clock) - receivedEpochNs);
        tracked.put(decision.getDecisionId(), new TrackedDecision(decision, CODEC.encode(decision), actor,
                nanoTime.getAsLong() - age, receivedEpochNs, EnforcementState.AWAITING_ACK));
    }

    /** Recovery: the first ack the audit trail recorded for a tracked decision, applied as of when it came. */
    public void restoreAck(DecisionAck ack, long ackedEpochNs) {
        TrackedDecision entry = tracked.get(ack.getDecisionId());
        if (entry != null && entry.state() == EnforcementState.AWAITING_ACK) {
            settle(entry, ack.getOutcome(), ackedEpochNs);
        }
    }

    /** Stops tracking a decision (it is being released); empty when there is none. */
    public Optional<TrackedDecision> withdraw(String decisionId) {
        TrackedDecision entry = tracked.remove(decisionId);
        metrics.awaitingAck(awaiting());
        return Optional.ofNullable(entry);
    }

    public Optional<TrackedDecision> find(String decisionId) {
        return Optional.ofNullable(tracked.get(decisionId));
    }

    public List<TrackedDecision> tracked() {
        return new ArrayList<>(tracked.values());
    }

    /** Periodic: expire what is stale, end what outlived its TTL, re-send what is unacked. */
    public void tick() {
        long nowEpoch = EpochNanos.now(clock);
        long now = nanoTime.getAsLong();
        for (Iterator<TrackedDecision> it = tracked.values().iterator(); it.hasNext(); ) {
            TrackedDecision entry = it.next();
            if (entry.state() == EnforcementState.AWAITING_ACK && entry.decision().getExpiresNs() <= nowEpoch) {
                it.remove();
                metrics.decision(entry.decision().getAction(), "expired");
                audit.write(AuditTrail.entry(clock, AuditKind.DECISION_EXPIRED, entry.id(), entry.actor(), entry.decision(), null,
                        "expired before node " + entry.node() + " acked (" + entry.attempts() + " deliveries)", null));
            } else if (entry.state() != EnforcementState.AWAITING_ACK && entry.untilEpochNs() > 0 && entry.untilEpochNs() <= nowEpoch) {
                it.remove();
                audit.write(AuditTrail.entry(clock, AuditKind.DECISION_EXPIRED, entry.id(), entry.actor(), entry.decision(), null,
                        "ttl of " + entry.decision().getTtlMs() + " ms elapsed", null));
            } else if (entry.state() == EnforcementState.AWAITING_ACK && now - entry.lastSentNanos() >= retryNanos) {
                SensorChannel link = links.get(entry.node());
                if (link != null) {
                    send(link, entry);
                }
            }
        }
        metrics.awaitingAck(awaiting());
    }

    /** Applied and dry-run enforcement stays listed until its TTL; kills and releases are done at once; anything else ends it. */
    private void settle(TrackedDecision entry, AckOutcome outcome, long ackedEpochNs) {
        DecisionAction action = entry.decision().getAction();
        boolean lasting = action != DecisionAction.KILL_PROCESS && action != DecisionAction.RELEASE;
        if (lasting && outcome == AckOutcome.APPLIED) {
            entry.settle(EnforcementState.ENFORCED, ackedEpochNs);
        } else if (lasting && outcome == AckOutcome.DRY_RUN) {
            entry.settle(EnforcementState.DRY_RUN, ackedEpochNs);
        } else {
            tracked.remove(entry.id());
        }
    }

    private void send(SensorChannel link, TrackedDecision entry) {
        link.send(entry.bytes());
        entry.sent(nanoTime.getAsLong());
        if (entry.attempts() == 1) {
            metrics.decision(entry.decision().getAction(), "delivered");
            audit.write(AuditTrail.entry(clock, AuditKind.DECISION_DELIVERED, entry.id(), entry.actor(), null, null,
                    "sent to node " + entry.node(), null));
        }
    }

    private int awaiting() {
        return (int) tracked.values().stream().filter(entry -> entry.state() == EnforcementState.AWAITING_ACK).count();
    }
}
