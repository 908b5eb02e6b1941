package dev.ringfence.feedback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.feedback.server.FeedbackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeKafkaConfigTest {

    @TempDir
    Path dir;

    private FeedbackConfig config(String... words) {
        Arguments args = Arguments.parse(List.of(words), Set.of("--kafka", "--kafka-config", "--certs", "--sensor-daemonset"), Set.of());
        return ServeCommand.config(args, StateDir.from(args));
    }

    @Test
    void kafkaConfigFileBecomesTheServicesKafkaClientSecurity() throws Exception {
        Path trust = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path file = Files.writeString(dir.resolve("kafka.properties"),
                "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=" + trust + "\n");
        FeedbackConfig config = config("--kafka", "kafka:9093", "--kafka-config", file.toString(), "--certs", dir.toString());
        assertThat(config.kafkaSecurity().protocol()).isEqualTo("SSL");
        assertThat(config.kafkaSecurity().settings()).containsEntry("ssl.truststore.location", trust.toString());
        assertThat(config("--kafka", "kafka:9092", "--certs", dir.toString()).kafkaSecurity().settings()).isEmpty();
    }

    @Test
    void badKafkaConfigIsAUsageErrorNamingTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), "security.protocol=SSL\nenable.idempotence=false\n");
        assertThatThrownBy(() -> config("--kafka", "kafka:9093", "--kafka-config", file.toString(), "--certs", dir.toString()))
                .isInstanceOf(Arguments.UsageException.class)
                .hasMessageContaining("--kafka-config").hasMessageContaining("'enable.idempotence' is not a security setting");
        assertThatThrownBy(() -> config("--kafka", "kafka:9093", "--kafka-config", dir.resolve("none").toString(), "--certs", dir.toString()))
                .isInstanceOf(Arguments.UsageException.class).hasMessageContaining("no such readable file");
    }

    @Test
    void sensorDaemonSetIsNamespaceSlashName() {
        assertThat(config("--certs", dir.toString()).sensorDaemonSet()).isNull();
        assertThat(config("--certs", dir.toString(), "--sensor-daemonset", "ringfence/ringfence-sensor").sensorDaemonSet())
                .isEqualTo("ringfence/ringfence-sensor");
        assertThatThrownBy(() -> config("--certs", dir.toString(), "--sensor-daemonset", "ringfence-sensor"))
                .hasMessageContaining("NAMESPACE/NAME");
    }

    @Test
    void kafkaSettingsWithoutKafkaAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), "security.protocol=SSL\n");
        assertThatThrownBy(() -> config("--kafka-config", file.toString(), "--certs", dir.toString()))
                .hasMessageContaining("without Kafka (--kafka)");
    }
}
