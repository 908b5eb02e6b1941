package dev.ringfence.contract.kafka;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.DeadLetter;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.ServiceEdge;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every Kafka topic of the contract, defined once: name, value type, and the keying rule with the reason for it.
 * Keys are UTF-8 strings produced by {@link RecordKeys}.
 */
public enum Topic {
    /** Keyed by node: a node's fork/exec/exit/flow order is kept, and watermarks are per node. */
    EVENTS("ringfence.events", Event.class, 12, Cleanup.DELETE, Duration.ofDays(1)),
    /** Keyed by node and compacted: the latest health of every sensor. */
    HEALTH("ringfence.health", Event.class, 3, Cleanup.COMPACT, Duration.ofDays(7)),
    /** Keyed by alert id and compacted: a growing storyline updates its alert in place. */
    ALERTS("ringfence.alerts", Alert.class, 6, Cleanup.COMPACT, Duration.ofDays(30)),
    /** Keyed by target node: one node's decisions stay in order, and routing reads one key. */
    DECISIONS("ringfence.decisions", Decision.class, 6, Cleanup.DELETE, Duration.ofDays(7)),
    /** Keyed by decision id: the acks of a decision stay together. */
    DECISION_ACKS("ringfence.decision-acks", DecisionAck.class, 6, Cleanup.DELETE, Duration.ofDays(7)),
    /** Keyed by decision id: the audit trail of one decision is read in order. */
    AUDIT("ringfence.audit", AuditEntry.class, 6, Cleanup.DELETE, Duration.ofDays(365)),
    /** Keyed by edge id and compacted: the live service map is the latest value of every edge. */
    SERVICE_GRAPH("ringfence.service-graph", ServiceEdge.class, 6, Cleanup.COMPACT, Duration.ofDays(30)),
    /** Keyed by the rejecting stage: what a stage could not use, kept with the reason. */
    DEAD_LETTER("ringfence.dead-letter", DeadLetter.class, 3, Cleanup.DELETE, Duration.ofDays(30));

    public enum Cleanup { DELETE, COMPACT }

    private final String topicName;
    private final Class<? extends SpecificRecord> valueType;
    private final int partitions;
    private final Cleanup cleanup;
    private final Duration retention;

    Topic(String topicName, Class<? extends SpecificRecord> valueType, int partitions, Cleanup cleanup, Duration retention) {
        this.topicName = topicName;
        this.valueType = valueType;
        this.partitions = partitions;
        this.cleanup = cleanup;
        this.retention = retention;
    }

    public String topicName() {
        return topicName;
    }

    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    /** Partitions in a cluster deployment; an all-in-one broker uses fewer. */
    public int partitions() {
        return partitions;
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    public Duration retention() {
        return retention;
    }

    public static Topic byName(String topicName) {
        for (Topic topic : values()) {
            if (topic.topicName.equals(topicName)) {
                return topic;
            }
        }
        throw new IllegalArgumentException("not a Ringfence topic: '" + topicName + "'");
    }
}
