package dev.ringfence.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkArgumentsTest {
    @TempDir
    Path dir;

    @Test
    void parsesAFullCommandLine() throws Exception {
        Path apiKey = Files.writeString(dir.resolve("api-key"), "c2VjcmV0\n");
        SinkConfig config = SinkArguments.parse("--kafka", "127.0.0.1:9092", "--elasticsearch", "https://es.example:9200/",
                "--api-key-file", apiKey.toString(), "--namespace", "prod", "--work-dir", dir.toString(),
                "--checkpoint-interval-ms", "5000");
        assertThat(config.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.elasticsearch().url()).isEqualTo("https://es.example:9200");
        assertThat(config.elasticsearch().toString()).contains("api key from").doesNotContain("c2VjcmV0");
        assertThat(config.names().auditDataStream()).isEqualTo("logs-ringfence.audit-prod");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void kafkaConfigReachesTheSourceAndTheDeadLetterProducer() throws Exception {
        Path trust = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path kafkaConfig = Files.writeString(dir.resolve("kafka.properties"),
                "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=" + trust + "\n");
        SinkConfig config = SinkArguments.parse("--kafka", "kafka:9093", "--kafka-config", kafkaConfig.toString(),
                "--elasticsearch", "http://x:9200", "--work-dir", dir.toString());
        assertThat(config.kafkaSecurity().protocol()).isEqualTo("SSL");
        assertThat(SinkJob.sourceProperties(config)).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", trust.toString()).containsEntry("commit.offsets.on.checkpoint", "true");
        assertThat(dev.ringfence.sinks.write.DeadLetterPublisher.producerConfig("kafka:9093", config.kafkaSecurity().settings()))
                .containsEntry("security.protocol", "SSL").containsEntry("enable.idempotence", true);
        SinkConfig plain = SinkArguments.parse("--kafka", "kafka:9092", "--elasticsearch", "http://x:9200");
        assertThat(SinkJob.sourceProperties(plain)).doesNotContainKey("security.protocol");

        Path bad = Files.writeString(dir.resolve("bad.properties"), "security.protocol=SSL\nssl.keystore.location=" + dir.resolve("nope.p12") + "\n");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "kafka:9093", "--kafka-config", bad.toString(),
                "--elasticsearch", "http://x:9200")).hasMessageContaining("ssl.keystore.location names " + dir.resolve("nope.p12"));
        Path notSecurity = Files.writeString(dir.resolve("group.properties"), "group.id=mine\n");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "kafka:9093", "--kafka-config", notSecurity.toString(),
                "--elasticsearch", "http://x:9200")).hasMessageContaining("'group.id' is not a security setting");
    }

    @Test
    void refusesBadCommandLinesWithAClearReason() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "pw");
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThatThrownBy(() -> SinkArguments.parse("--elasticsearch", "http://x:9200"))
                .hasMessage("--kafka is required");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "nohost", "--elasticsearch", "http://x:9200"))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "ftp://x"))
                .hasMessageContaining("http(s)://host");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://u:p@x:9200"))
                .hasMessageContaining("not in the URL");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://x", "--user", "elastic"))
                .hasMessageContaining("needs a password file");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://x", "--user", "elastic",
                "--password-file", password.toString(), "--api-key-file", password.toString()))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://x", "--api-key-file",
                empty.toString())).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://x", "--api-key-file",
                dir.resolve("missing").toString())).hasMessageContaining("cannot read API key file");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://x", "--ca-cert",
                password.toString())).hasMessageContaining("only used with an https:// URL");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "https://x", "--ca-cert",
                password.toString())).hasMessageContaining("cannot use CA certificate");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://x", "--namespace", "Prod-1"))
                .hasMessageContaining("namespace must be");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--elasticsearch", "http://x", "--checkpoint-interval-ms", "10"))
                .hasMessageContaining("at least 100 ms");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka", "h:1", "--kafka", "h:2")).hasMessage("--kafka given twice");
        assertThatThrownBy(() -> SinkArguments.parse("--verbose")).hasMessage("unknown option '--verbose'");
        assertThatThrownBy(() -> SinkArguments.parse("--kafka")).hasMessage("--kafka needs a value");
    }
}
