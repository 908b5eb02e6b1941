package dev.ringfence.sensor.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.kafka.KafkaClientSecurity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaPublisherConfigTest {

    private static final KafkaClientSecurity SCRAM = KafkaClientSecurity.of(Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"), null);

    @Test
    void securitySettingsReachTheProducerAndTheAdminClient() {
        Map<String, Object> producer = KafkaPublisher.producerConfig("kafka:9093", SCRAM);
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("bootstrap.servers", "kafka:9093").containsEntry("enable.idempotence", true);
        assertThat(KafkaPublisher.adminConfig("kafka:9093", SCRAM)).containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
    }

    @Test
    void withoutSettingsTheClientsStayPlaintext() {
        assertThat(KafkaPublisher.producerConfig("kafka:9092", KafkaClientSecurity.NONE)).doesNotContainKey("security.protocol");
        assertThat(KafkaPublisher.adminConfig("kafka:9092", KafkaClientSecurity.NONE)).doesNotContainKey("security.protocol");
    }
}
