package dev.ringfence.sinks.ecs;

import static dev.ringfence.sinks.ecs.AlertDocumentTest.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.sinks.Samples;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditDocumentTest {
    @Test
    void anAckSaysWhoWhatWhyOutcomeAndLatency() {
        Map<String, Object> document = AuditDocument.of(Samples.ackAudit("au-1", "d-1", Samples.FIRST_SEEN, AckOutcome.APPLIED));
        assertThat(at(document, "event.id")).isEqualTo("au-1");
        assertThat(at(document, "event.action")).isEqualTo("ack_received");
        assertThat(at(document, "event.outcome")).isEqualTo("success");
        assertThat(at(document, "event.duration")).isEqualTo(40_000_000L);
        assertThat(at(document, "user.name")).isEqualTo("CN=sensor-node-a");
        assertThat(at(document, "ringfence.decision.action")).isEqualTo("KILL_PROCESS");
        assertThat(at(document, "ringfence.decision.target.workload.key")).isEqualTo("shop/Deployment/payments");
        assertThat(at(document, "ringfence.ack.detail")).isEqualTo("SIGKILL pid 300");
    }

    @Test
    void refusedOrExpiredIsAFailureAndAnUnansweredDecisionIsUnknown() {
        AuditEntry refused = Samples.ackAudit("au-2", "d-2", Samples.FIRST_SEEN, AckOutcome.REFUSED);
        assertThat(AuditDocument.outcome(refused)).isEqualTo("failure");
        AuditEntry received = AuditEntry.newBuilder(refused).setAck(null).setKind(AuditKind.DECISION_RECEIVED).build();
        assertThat(AuditDocument.outcome(received)).isEqualTo("unknown");
        AuditEntry expired = AuditEntry.newBuilder(received).setKind(AuditKind.DECISION_EXPIRED).build();
        assertThat(AuditDocument.outcome(expired)).isEqualTo("failure");
    }

    @Test
    void refusesEntriesThatCannotBeDocuments() {
        AuditEntry entry = Samples.ackAudit("au-3", "d-3", Samples.FIRST_SEEN, AckOutcome.APPLIED);
        assertThatThrownBy(() -> AuditDocument.of(AuditEntry.newBuilder(entry).setAuditId("").build()))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("audit_id is blank");
        assertThatThrownBy(() -> AuditDocument.of(AuditEntry.newBuilder(entry).setLatencyMs(-1L).build()))
                .hasMessageContaining("latency_ms -1");
        assertThatThrownBy(() -> AuditDocument.of(AuditEntry.newBuilder(entry).setTimeNs(Long.MAX_VALUE).build()))
                .hasMessageContaining("time_ns");
    }
}
