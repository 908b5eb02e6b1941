package dev.ringfence.allinone.live;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.SensorHealth;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The status line's numbers, counted from the topics since {@code up} started. */
public final class PipelineStatus implements RecordHandler {
    /** One status line's worth of numbers. */
    public record Snapshot(long events, double eventsPerSecond, long lost, long throttled, int sensors, int alerts,
                           int decisions, int dryRunDecisions, int activeBlocks) {}

    private final Map<String, SensorHealth> latestHealth = new HashMap<>();
    private final Set<String> alertIds = new HashSet<>();
    private final Map<String, Decision> decisions = new HashMap<>();
    /** Decision id of an applied block or isolation -> when it ends (epoch ns; Long.MAX_VALUE: until released). */
    private final Map<String, Long> activeBlocks = new HashMap<>();
    private long events;
    private long lastEvents;
    private long lastSnapshotNanos = System.nanoTime();

    @Override
    public synchronized void event(Event event) {
        if (event.getPayload() instanceof SensorHealth health) {
            latestHealth.put(health.getNode(), health);
        } else {
            events++;
        }
    }

    @Override
    public synchronized void alert(Alert alert) {
        alertIds.add(alert.getAlertId());
    }

    @Override
    public synchronized void decision(Decision decision) {
        decisions.putIfAbsent(decision.getDecisionId(), decision);
    }

    /** Active blocks follow the sensors' acks as audited by the feedback service, not the decisions. */
    @Override
    public synchronized void audit(AuditEntry entry) {
        if (entry.getKind() != AuditKind.ACK_RECEIVED || entry.getAck() == null) {
            return;
        }
        DecisionAck ack = entry.getAck();
        Decision decision = entry.getDecision() != null ? entry.getDecision() : decisions.get(ack.getDecisionId());
        if (decision == null) {
            return;
        }
        if (ack.getOutcome() == AckOutcome.APPLIED && blocks(decision.getAction())) {
            long end = decision.getTtlMs() > 0 ? ack.getTimeNs() + decision.getTtlMs() * 1_000_000 : Long.MAX_VALUE;
            activeBlocks.put(decision.getDecisionId(), end);
        } else if (decision.getAction() == DecisionAction.RELEASE && decision.getTarget().getReleaseDecisionId() != null
                && (ack.getOutcome() == AckOutcome.APPLIED || ack.getOutcome() == AckOutcome.RELEASED)) {
            activeBlocks.remove(decision.getTarget().getReleaseDecisionId());
        } else if (ack.getOutcome() == AckOutcome.RELEASED || ack.getOutcome() == AckOutcome.EXPIRED) {
            activeBlocks.remove(ack.getDecisionId());
        }
    }

    public synchronized Snapshot snapshot(long nowEpochNanos) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastSnapshotNanos) / 1e9);
        double rate = (events - lastEvents) / seconds;
        lastEvents = events;
        lastSnapshotNanos = now;
        long lost = 0;
        long throttled = 0;
        for (SensorHealth health : latestHealth.values()) {
            lost += health.getKernelLostByType().values().stream().mapToLong(Long::longValue).sum()
                    + health.getUserLost() + health.getSpoolDropped();
            throttled += health.getThrottledEvents();
        }
        activeBlocks.values().removeIf(end -> end <= nowEpochNanos);
        int dryRun = (int) decisions.values().stream().filter(Decision::getDryRun).count();
        return new Snapshot(events, rate, lost, throttled, latestHealth.size(), alertIds.size(), decisions.size(), dryRun,
                activeBlocks.size());
    }

    private static boolean blocks(DecisionAction action) {
        return action == DecisionAction.BLOCK_CONNECTION || action == DecisionAction.ISOLATE_WORKLOAD
                || action == DecisionAction.DENY_EXEC;
    }
}
