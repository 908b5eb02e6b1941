package dev.ringfence.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.RandomRecords;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.sinks.Samples;
import dev.ringfence.sinks.ecs.InvalidRecordException;
import dev.ringfence.sinks.template.IndexNames;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentRouterTest {
    private final DocumentRouter router = new DocumentRouter(new IndexNames("prod"));

    @Test
    void anAlertGoesToItsMonthIndexUnderItsIdVersionedByRevision() {
        Alert alert = Samples.alert("a-9", 4, "T1059", Severity.LOW, "payments", Samples.FIRST_SEEN);
        PendingDocument document = router.route(record(Topic.ALERTS, ContractCodec.of(Alert.class).encode(alert)));
        assertThat(document.index()).isEqualTo("ringfence-alerts-prod-2026.11");
        assertThat(document.id()).isEqualTo("a-9");
        assertThat(document.externalVersion()).isEqualTo(4L);
    }

    @Test
    void anAuditEntryIsCreatedOnceInTheAuditDataStream() {
        AuditEntry entry = Samples.ackAudit("au-9", "d-9", Samples.FIRST_SEEN, AckOutcome.APPLIED);
        PendingDocument document = router.route(record(Topic.AUDIT, ContractCodec.of(AuditEntry.class).encode(entry)));
        assertThat(document.index()).isEqualTo("logs-ringfence.audit-prod");
        assertThat(document.id()).isEqualTo("au-9");
        assertThat(document.isVersioned()).isFalse();
    }

    @Test
    void saysWhyARecordHasNoDocument() {
        assertThatThrownBy(() -> router.route(record(Topic.ALERTS, "garbage".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("undecodable Alert");
        assertThatThrownBy(() -> router.route(record(Topic.AUDIT, null)))
                .hasMessageContaining("undecodable AuditEntry").hasMessageContaining("null value");
        byte[] edge = ContractCodec.of(dev.ringfence.contract.ServiceEdge.class)
                .encode(new RandomRecords(1).next(dev.ringfence.contract.ServiceEdge.class));
        assertThatThrownBy(() -> router.route(record(Topic.SERVICE_GRAPH, edge)))
                .hasMessageContaining("does not read ringfence.service-graph");
        assertThatThrownBy(() -> router.route(new KafkaBytes("other-topic", 0, 0, null, edge)))
                .hasMessageContaining("not a Ringfence topic");
    }

    @Test
    void randomAlertsEitherRouteOrAreRefusedWithAReasonNeverAnotherException() {
        RandomRecords random = new RandomRecords(7);
        ContractCodec<Alert> codec = ContractCodec.of(Alert.class);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = codec.encode(random.next(Alert.class));
            try {
                assertThat(router.route(record(Topic.ALERTS, bytes)).id()).isNotNull();
            } catch (InvalidRecordException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }

    private static KafkaBytes record(Topic topic, byte[] value) {
        return new KafkaBytes(topic.topicName(), 1, 42, "key".getBytes(StandardCharsets.UTF_8), value);
    }
}
