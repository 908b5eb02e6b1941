package dev.ringfence.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.ServiceEdge;
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
    void aServiceEdgeKeepsOneDocumentVersionedByItsLastSight() {
        ServiceEdge edge = Samples.edge("shop/Deployment/web", "shop/Deployment/db", 5432, 7, Samples.FIRST_SEEN);
        PendingDocument document = router.route(record(Topic.SERVICE_GRAPH, ContractCodec.of(ServiceEdge.class).encode(edge)));
        assertThat(document.index()).isEqualTo("ringfence-service-graph-prod");
        assertThat(document.id()).isEqualTo("shop/Deployment/web|shop/Deployment/db|TCP|5432");
        assertThat(document.externalVersion()).isEqualTo(edge.getLastSeenNs());
        assertThatThrownBy(() -> router.route(record(Topic.SERVICE_GRAPH,
                ContractCodec.of(ServiceEdge.class).encode(ServiceEdge.newBuilder(edge).setPort(70000).build()))))
                .hasMessageContaining("port 70000");
    }

    @Test
    void saysWhyARecordHasNoDocument() {
        assertThatThrownBy(() -> router.route(record(Topic.ALERTS, "garbage".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("undecodable Alert");
        assertThatThrownBy(() -> router.route(record(Topic.AUDIT, null)))
                .hasMessageContaining("undecodable AuditEntry").hasMessageContaining("null value");
        byte[] event = ContractCodec.of(Event.class).encode(new RandomRecords(1).next(Event.class));
        assertThatThrownBy(() -> router.route(record(Topic.EVENTS, event)))
                .hasMessageContaining("does not read ringfence.events");
        assertThatThrownBy(() -> router.route(new KafkaBytes("other-topic", 0, 0, null, event)))
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
