package dev.ringfence.allinone.live;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.codec.RandomRecords;

/** Contract records with random content except the fields a test is about. */
public final class Records {
    private static final RandomRecords RANDOM = new RandomRecords(42);

    private Records() {}

    public static Alert alert(String id, int revision) {
        Alert alert = RANDOM.next(Alert.class);
        alert.setAlertId(id);
        alert.setRevision(revision);
        alert.setRiskScore(80);
        alert.setSeverity(Severity.HIGH);
        alert.setRuleId("RF-SCAN-001");
        alert.setSummary("probed 21 internal endpoints");
        alert.setFirstSeenNs(1_700_000_000_000_000_000L);
        alert.setLastSeenNs(1_700_000_001_000_000_000L);
        alert.setTimeNs(1_700_000_001_000_000_000L);
        alert.setStoryline(java.util.List.of());
        alert.setAncestry(java.util.List.of());
        alert.setProcess(null);
        alert.setParent(null);
        alert.setSource(null);
        alert.setDestination(null);
        alert.setDestinationWorkload(null);
        return alert;
    }

    public static Decision decision(String id, DecisionAction action, long ttlMs, boolean dryRun) {
        Decision decision = RANDOM.next(Decision.class);
        decision.setDecisionId(id);
        decision.setAction(action);
        decision.setTtlMs(ttlMs);
        decision.setDryRun(dryRun);
        decision.getTarget().setReleaseDecisionId(null);
        return decision;
    }

    public static AuditEntry ack(String decisionId, AckOutcome outcome, long timeNs) {
        AuditEntry entry = RANDOM.next(AuditEntry.class);
        entry.setKind(AuditKind.ACK_RECEIVED);
        entry.setDecisionId(decisionId);
        entry.setDecision(null);
        DecisionAck ack = RANDOM.next(DecisionAck.class);
        ack.setDecisionId(decisionId);
        ack.setOutcome(outcome);
        ack.setTimeNs(timeNs);
        entry.setAck(ack);
        return entry;
    }
}
