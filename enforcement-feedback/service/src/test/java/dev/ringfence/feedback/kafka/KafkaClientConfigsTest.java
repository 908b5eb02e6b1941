package dev.ringfence.feedback.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.kafka.KafkaClientSecurity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision consumer, the recovery consumer and the audit producer all get the same security settings. */
class KafkaClientConfigsTest {

    private static final KafkaClientSecurity SCRAM = KafkaClientSecurity.of(Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"), null);

    @Test
    void everyClientCarriesTheSettingsNextToItsOwn() {
        assertThat(DecisionConsumer.consumerConfig("k:9093", SCRAM, "ringfence-enforcement-feedback"))
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("group.id", "ringfence-enforcement-feedback");
        assertThat(AuditRecovery.consumerConfig("k:9093", SCRAM)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(KafkaAuditTrail.producerConfig("k:9093", SCRAM)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("enable.idempotence", true).containsEntry("metadata.max.idle.ms", 86_400_000);
        assertThat(KafkaAuditTrail.producerConfig("k:9092", KafkaClientSecurity.NONE)).doesNotContainKey("security.protocol");
    }
}
