package dev.ringfence.feedback.audit;

import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail when no Kafka is configured (a standalone service, or the CLI's local mode):
 * one structured line per entry on the {@code ringfence.audit} logger, which stays on by default.
 */
public final class LogAuditTrail implements AuditTrail {
    private static final Logger AUDIT = LoggerFactory.getLogger("ringfence.audit");

    @Override
    public void write(AuditEntry entry) {
        AUDIT.info("kind={} decision_id={} actor={}{}{}{}", entry.getKind(), entry.getDecisionId(), entry.getActor(),
                entry.getReason() == null ? "" : " reason=\"" + entry.getReason() + "\"",
                entry.getAck() == null ? "" : " ack=" + entry.getAck().getOutcome(),
                entry.getLatencyMs() == null ? "" : " latency_ms=" + entry.getLatencyMs());
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        AUDIT.warn("kind=DEAD_LETTER stage={} reason=\"{}\" bytes={}", letter.getStage(), letter.getReason(),
                letter.getPayload().remaining());
    }
}
