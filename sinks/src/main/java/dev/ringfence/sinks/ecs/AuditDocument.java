package dev.ringfence.sinks.ecs;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionTarget;
import java.util.Locale;
import java.util.Map;

/** One audit line (a decision or an ack: who, what, why, outcome, latency) as an ECS event. */
public final class AuditDocument {
    private AuditDocument() {}

    public static Map<String, Object> of(AuditEntry entry) {
        if (entry.getAuditId().isBlank()) {
            throw new InvalidRecordException("audit_id is blank");
        }
        if (entry.getLatencyMs() != null && entry.getLatencyMs() < 0) {
            throw new InvalidRecordException("latency_ms " + entry.getLatencyMs() + " of audit " + entry.getAuditId() + " is negative");
        }
        EcsDocument document = EcsDocument.event(EpochNanos.iso("time_ns", entry.getTimeNs()), "event", "configuration",
                        "change", "ringfence.audit", entry.getAuditId())
                .put("event.action", entry.getKind().name().toLowerCase(Locale.ROOT))
                .put("event.outcome", outcome(entry))
                .put("event.reason", entry.getReason())
                // ECS durations are nanoseconds
                .put("event.duration", entry.getLatencyMs() == null ? null : entry.getLatencyMs() * 1_000_000L)
                .put("user.name", entry.getActor())
                .put("ringfence.audit.kind", entry.getKind().name())
                .put("ringfence.audit.actor", entry.getActor())
                .put("ringfence.audit.latency_ms", entry.getLatencyMs())
                .put("ringfence.decision.id", entry.getDecisionId());
        putDecision(document, entry.getDecision());
        putAck(document, entry.getAck());
        return document.toMap();
    }

    /** success/failure/unknown: an ack says what happened; a decision refused or expired in transit failed. */
    static String outcome(AuditEntry entry) {
        if (entry.getAck() != null) {
            AckOutcome ack = entry.getAck().getOutcome();
            return ack == AckOutcome.REFUSED || ack == AckOutcome.EXPIRED ? "failure" : "success";
        }
        return switch (entry.getKind()) {
            case DECISION_REFUSED, DECISION_EXPIRED -> "failure";
            case DECISION_DELIVERED -> "success";
            default -> "unknown";
        };
    }

    private static void putDecision(EcsDocument document, Decision decision) {
        if (decision == null) {
            return;
        }
        DecisionTarget target = decision.getTarget();
        document.put("ringfence.decision.issuer", decision.getIssuer())
                .put("ringfence.decision.action", decision.getAction().name())
                .put("ringfence.decision.reason", decision.getReason())
                .put("ringfence.decision.issued", EpochNanos.iso("decision issued_ns", decision.getIssuedNs()))
                .put("ringfence.decision.expires", EpochNanos.iso("decision expires_ns", decision.getExpiresNs()))
                .put("ringfence.decision.ttl_ms", decision.getTtlMs())
                .put("ringfence.decision.dry_run", decision.getDryRun())
                .put("ringfence.decision.alert_id", decision.getAlertId())
                .put("ringfence.decision.signing_key_id", decision.getSigningKeyId())
                .put("ringfence.decision.target.node", target.getNode())
                .put("ringfence.decision.target.exec_id", target.getExecId())
                .put("ringfence.decision.target.destination_cidr", target.getDestinationCidr())
                .put("ringfence.decision.target.destination_port", target.getDestinationPort() == null ? null : (long) target.getDestinationPort())
                .put("ringfence.decision.target.transport", target.getTransport() == null ? null : target.getTransport().name())
                .put("ringfence.decision.target.binary_path", target.getBinaryPath())
                .put("ringfence.decision.target.release_decision_id", target.getReleaseDecisionId())
                .put("rule.id", decision.getRuleId())
                .put("host.name", target.getNode());
        if (target.getWorkload() != null) {
            WorkloadFields.putKeys(document, "ringfence.decision.target.workload", target.getWorkload());
        }
    }

    private static void putAck(EcsDocument document, DecisionAck ack) {
        if (ack == null) {
            return;
        }
        document.put("ringfence.ack.node", ack.getNode())
                .put("ringfence.ack.time", EpochNanos.iso("ack time_ns", ack.getTimeNs()))
                .put("ringfence.ack.outcome", ack.getOutcome().name())
                .put("ringfence.ack.reason", ack.getReason())
                .put("ringfence.ack.detail", ack.getDetail())
                .put("host.name", ack.getNode());
    }
}
