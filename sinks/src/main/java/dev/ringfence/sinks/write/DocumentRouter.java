package dev.ringfence.sinks.write;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.ServiceEdge;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.sinks.ecs.AlertDocument;
import dev.ringfence.sinks.ecs.AuditDocument;
import dev.ringfence.sinks.ecs.EpochNanos;
import dev.ringfence.sinks.ecs.InvalidRecordException;
import dev.ringfence.sinks.ecs.ServiceEdgeDocument;
import dev.ringfence.sinks.template.IndexNames;

/**
 * Decodes a record of a topic the sink reads and says where its document goes and under which id:
 * alerts by alert id (a replay or a later revision lands on the same document), audit by audit id, service
 * graph edges by edge id (versioned by last sight, so a replay never rolls an edge back).
 */
public final class DocumentRouter {
    private final IndexNames names;
    private final ContractCodec<Alert> alerts = ContractCodec.of(Alert.class);
    private final ContractCodec<AuditEntry> audit = ContractCodec.of(AuditEntry.class);
    private final ContractCodec<ServiceEdge> edges = ContractCodec.of(ServiceEdge.class);

    public DocumentRouter(IndexNames names) {
        this.names = names;
    }

    /** The document for {@code record}, or {@link InvalidRecordException} with the reason it has none. */
    public PendingDocument route(KafkaBytes record) {
        Topic topic;
        try {
            topic = Topic.byName(record.topic);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(e.getMessage());
        }
        try {
            return switch (topic) {
                case ALERTS -> {
                    Alert alert = alerts.decode(record.value);
                    yield new PendingDocument(names.alertsIndex(EpochNanos.toInstant("first_seen_ns", alert.getFirstSeenNs())),
                            alert.getAlertId(), (long) alert.getRevision(), AlertDocument.of(alert), record);
                }
                case AUDIT -> {
                    AuditEntry entry = audit.decode(record.value);
                    yield new PendingDocument(names.auditDataStream(), entry.getAuditId(), null, AuditDocument.of(entry), record);
                }
                case SERVICE_GRAPH -> {
                    ServiceEdge edge = edges.decode(record.value);
                    yield new PendingDocument(names.serviceGraphIndex(), edge.getEdgeId(), edge.getLastSeenNs(),
                            ServiceEdgeDocument.of(edge), record);
                }
                default -> throw new InvalidRecordException("the Elasticsearch sink does not read " + topic.topicName());
            };
        } catch (ContractDecodingException e) {
            throw new InvalidRecordException("undecodable " + topic.valueType().getSimpleName() + ": " + e.getMessage());
        }
    }
}
