package dev.ringfence.feedback.audit;

import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.UUID;

/**
 * Where every decision, ack and refusal is written (the audit topic in production), and where
 * input that is not a decision at all is set aside with the reason (the dead-letter topic).
 * Writes must not block the caller for long and must never throw on a broker outage: they are
 * retried by the implementation and counted if lost.
 */
public interface AuditTrail extends AutoCloseable {
    String STAGE = "enforcement-feedback";

    void write(AuditEntry entry);

    void deadLetter(DeadLetter letter);

    @Override
    default void close() {}

    static AuditEntry entry(Clock clock, AuditKind kind, String decisionId, String actor, Decision decision,
                            DecisionAck ack, String reason, Long latencyMs) {
        return AuditEntry.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setTimeNs(EpochNanos.now(clock))
                .setKind(kind)
                .setDecisionId(decisionId)
                .setActor(actor)
                .setDecision(decision)
                .setAck(ack)
                .setReason(reason)
                .setLatencyMs(latencyMs)
                .build();
    }

    static DeadLetter deadLetter(Clock clock, String source, String reason, byte[] key, byte[] payload) {
        return DeadLetter.newBuilder()
                .setTimeNs(EpochNanos.now(clock))
                .setStage(STAGE + "/" + source)
                .setReason(reason)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .build();
    }
}
