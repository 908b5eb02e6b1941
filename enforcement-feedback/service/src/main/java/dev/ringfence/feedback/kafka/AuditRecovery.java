package dev.ringfence.feedback.kafka;

import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.feedback.intake.DecisionIntake;
import dev.ringfence.feedback.intake.IntakeResult;
import dev.ringfence.feedback.route.DecisionLoop;
import dev.ringfence.feedback.route.DecisionRouter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit topic is the service's journal: on start, the entries of the recovery window are read
 * back to rebuild what it tracked (decisions awaiting an ack, enforcement still in force) and which
 * decision ids it already answered, so a restart neither drops an undelivered decision nor accepts a
 * replay. Entries of one decision share a partition (keyed by decision id), so they come in order.
 */
public final class AuditRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRecovery.class);
    private static final ContractCodec<AuditEntry> AUDIT = ContractCodec.of(AuditEntry.class);
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final DecisionRouter router;
    private final DecisionIntake intake;

    private AuditRecovery(DecisionRouter router, DecisionIntake intake) {
        this.router = router;
        this.intake = intake;
    }

    static Map<String, Object> consumerConfig(String bootstrapServers, KafkaClientSecurity security) {
        return security.applyTo(new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "ringfence-enforcement-feedback-recovery")));
    }

    /** Replays the audit entries written in the last {@code window}; returns how many were applied. */
    public static long recover(String bootstrapServers, KafkaClientSecurity security, Duration window, Clock clock,
                               DecisionLoop loop, DecisionRouter router, DecisionIntake intake) {
        AuditRecovery recovery = new AuditRecovery(router, intake);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, security),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.AUDIT.topicName(), KAFKA_TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            partitions.forEach(partition -> since.put(partition, clock.millis() - window.toMillis()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(since, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
            long applied = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition, KAFKA_TIMEOUT) < ends.get(partition))) {
                List<AuditEntry> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        batch.add(AUDIT.decode(record.value()));
                    } catch (ContractDecodingException e) {
                        LOG.warn("event=audit_entry_unreadable partition={} offset={} reason=\"{}\"", record.partition(), record.offset(), e.getMessage());
                    }
                }
                loop.call("recover-audit", () -> {
                    batch.forEach(recovery::apply);
                    return null;
                });
                applied += batch.size();
            }
            return applied;
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot recover state from " + Topic.AUDIT.topicName() + " at " + bootstrapServers
                    + ": " + e.getMessage(), e);
        }
    }

    private void apply(AuditEntry entry) {
        Decision decision = entry.getDecision();
        switch (entry.getKind()) {
            case DECISION_RECEIVED -> {
                if (decision != null) {
                    received(entry, decision);
                }
            }
            case DECISION_REFUSED -> {
                if (decision != null) {
                    intake.remember(decision, IntakeResult.Outcome.REFUSED, entry.getReason());
                }
            }
            case DECISION_EXPIRED -> {
                // tracked: it expired in the router; not tracked: the intake refused it as stale
                if (router.withdraw(entry.getDecisionId()).isEmpty() && decision != null) {
                    intake.remember(decision, IntakeResult.Outcome.REFUSED, entry.getReason());
                }
            }
            case ACK_RECEIVED -> {
                if (entry.getAck() != null && entry.getReason() == null) {
                    router.restoreAck(entry.getAck(), entry.getTimeNs());
                }
            }
            case RELEASE_REQUESTED -> {
                if (decision != null) {
                    router.withdraw(entry.getDecisionId());
                }
            }
            case DECISION_DELIVERED -> {
                // deliveries change nothing a restart must know: everything unacked is re-sent anyway
            }
        }
    }

    private void received(AuditEntry entry, Decision decision) {
        intake.remember(decision, IntakeResult.Outcome.ACCEPTED, null);
        if (decision.getAction() == DecisionAction.RELEASE) {
            router.withdraw(decision.getTarget().getReleaseDecisionId());
        }
        if (entry.getReason() != null && entry.getReason().startsWith(DecisionIntake.SERVICE_DRY_RUN_NOTE)) {
            router.recordDryRun(decision, DECISIONS.encode(decision), entry.getActor());
        } else {
            router.restore(decision, entry.getActor(), entry.getTimeNs());
        }
    }
}
