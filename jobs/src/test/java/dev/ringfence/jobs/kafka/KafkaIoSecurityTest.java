package dev.ringfence.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.jobs.config.KafkaSettings;
import java.lang.reflect.Field;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.junit.jupiter.api.Test;

/** --kafka-config settings reach the event source and every sink, next to (never over) the job's own. */
class KafkaIoSecurityTest {

    private static Properties field(Object owner, String name) throws Exception {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return (Properties) field.get(owner);
    }

    private static KafkaSink<Alert> kafkaSink(KafkaSettings kafka) {
        return ((PrimedKafkaSink<Alert>) KafkaIo.sink(kafka, Topic.ALERTS, Alert.class)).kafkaSink();
    }

    private static KafkaSettings settings(String delivery) {
        KafkaSettings kafka = new KafkaSettings();
        kafka.bootstrapServers = "kafka:9093";
        kafka.delivery = delivery;
        kafka.useSecurity(java.util.Map.of("security.protocol", "SSL", "ssl.truststore.type", "PEM"));
        return kafka;
    }

    @Test
    void sourceAndSinksCarryTheSecuritySettings() throws Exception {
        Properties source = field(KafkaIo.eventSource(settings("at-least-once")), "props");
        assertThat(source).containsEntry("security.protocol", "SSL").containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("bootstrap.servers", "kafka:9093").containsEntry("isolation.level", "read_committed");
        for (String delivery : new String[] {"at-least-once", "exactly-once"}) {
            Properties sink = field(kafkaSink(settings(delivery)), "kafkaProducerConfig");
            assertThat(sink).as(delivery).containsEntry("security.protocol", "SSL").containsEntry("bootstrap.servers", "kafka:9093")
                    .containsEntry("linger.ms", "0").containsEntry("metadata.max.idle.ms", "86400000");
        }
    }

    @Test
    void withoutSettingsNothingIsAdded() throws Exception {
        KafkaSettings plain = settings("at-least-once");
        plain.useSecurity(java.util.Map.of());
        assertThat(field(KafkaIo.eventSource(plain), "props")).doesNotContainKey("security.protocol");
        assertThat(field(kafkaSink(plain), "kafkaProducerConfig")).doesNotContainKey("security.protocol");
    }
}
