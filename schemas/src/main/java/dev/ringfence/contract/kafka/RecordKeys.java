package dev.ringfence.contract.kafka;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.ServiceEdge;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;

/** The record key of every topic, as {@link Topic} documents it. Keys are UTF-8 strings. */
public final class RecordKeys {
    private RecordKeys() {}

    public static String keyOf(SpecificRecord record) {
        return switch (record) {
            case Event event -> event.getNode();
            case Alert alert -> alert.getAlertId();
            case Decision decision -> decision.getTarget().getNode();
            case DecisionAck ack -> ack.getDecisionId();
            case AuditEntry audit -> audit.getDecisionId();
            case ServiceEdge edge -> edge.getEdgeId();
            case DeadLetter deadLetter -> deadLetter.getStage();
            default -> throw new IllegalArgumentException(
                    "no topic carries " + record.getSchema().getFullName() + " as its value");
        };
    }

    public static byte[] keyBytes(SpecificRecord record) {
        return keyOf(record).getBytes(StandardCharsets.UTF_8);
    }
}
