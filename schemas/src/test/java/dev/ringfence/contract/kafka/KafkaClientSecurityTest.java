package dev.ringfence.contract.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /** What the manifests use with a Strimzi KafkaUser: PEM truststore, PKCS12 keystore, password from its file. */
    private Path strimziStyle() throws Exception {
        write("ca/ca.crt", "-----BEGIN CERTIFICATE-----\n");
        write("user/user.p12", "p12");
        write("user/user.password", "s3cret");
        return write("kafka.properties", """
                security.protocol=SSL
                ssl.truststore.type=PEM
                ssl.truststore.location=%1$s/ca/ca.crt
                ssl.keystore.type=PKCS12
                ssl.keystore.location=%1$s/user/user.p12
                ssl.keystore.password=${dir:%1$s/user:user.password}
                config.providers=dir
                config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
                """.formatted(dir));
    }

    @Test
    void loadsTlsSettingsAndKafkaResolvesThePasswordFromItsFile() throws Exception {
        KafkaClientSecurity security = KafkaClientSecurity.load(strimziStyle());

        assertThat(security.protocol()).isEqualTo("SSL");
        assertThat(security.settings()).containsEntry("ssl.keystore.location", dir + "/user/user.p12");
        assertThat(security.toString()).doesNotContain("s3cret").doesNotContain("user.password}");

        Map<String, Object> client = new HashMap<>();
        client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9093");
        client.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        client.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        ProducerConfig resolved = new ProducerConfig(security.applyTo(client));
        assertThat(resolved.getPassword("ssl.keystore.password").value()).isEqualTo("s3cret");
        assertThat(resolved.getString("security.protocol")).isEqualTo("SSL");
    }

    @Test
    void componentSettingsAreNeverOverridden() throws Exception {
        KafkaClientSecurity security = KafkaClientSecurity.load(strimziStyle());
        Map<String, Object> client = new HashMap<>(Map.of("security.protocol", "PLAINTEXT"));
        security.applyTo(client);
        assertThat(client).containsEntry("security.protocol", "PLAINTEXT");
    }

    @Test
    void refusesKeysThatAreNotSecuritySettings() {
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("bootstrap.servers", "x:1"), null))
                .hasMessageContaining("'bootstrap.servers' is not a security setting");
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("group.id", "other"), null))
                .hasMessageContaining("'group.id' is not a security setting");
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("transactional.id", "t"), null))
                .hasMessageContaining("'transactional.id' is not a security setting");
    }

    @Test
    void refusesTyposAndUnknownKeys() {
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("security.protocol", "SSL", "ssl.trustore.location", "/x"), null))
                .hasMessageContaining("unknown Kafka client setting 'ssl.trustore.location'");
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("kafka.security.protocol", "SSL"), null))
                .hasMessageContaining("unknown Kafka client setting 'kafka.security.protocol'");
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("security.protocol", "TLS"), null))
                .hasMessageContaining("security.protocol must be one of");
    }

    @Test
    void refusesSettingsTheProtocolWouldIgnore() {
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("ssl.truststore.type", "PEM"), null))
                .hasMessageContaining("ssl.truststore.type is set but security.protocol PLAINTEXT does not use TLS");
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("security.protocol", "SSL", "sasl.mechanism", "SCRAM-SHA-512"), null))
                .hasMessageContaining("does not use SASL");
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"), null))
                .hasMessageContaining("needs sasl.jaas.config");
    }

    @Test
    void acceptsScram() {
        KafkaClientSecurity scram = KafkaClientSecurity.of(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"), null);
        assertThat(scram.protocol()).isEqualTo("SASL_SSL");
    }

    @Test
    void missingFilesAreNamedWithTheirKey() throws Exception {
        Path config = strimziStyle();
        Files.delete(dir.resolve("user/user.p12"));
        assertThatThrownBy(() -> KafkaClientSecurity.load(config))
                .hasMessageContaining("ssl.keystore.location names " + dir + "/user/user.p12, which is not a readable file");
        Files.writeString(dir.resolve("user/user.p12"), "p12");
        Files.delete(dir.resolve("user/user.password"));
        assertThatThrownBy(() -> KafkaClientSecurity.load(config))
                .hasMessageContaining("ssl.keystore.password reads " + dir + "/user/user.password, which is not a readable file");
        assertThatThrownBy(() -> KafkaClientSecurity.load(dir.resolve("absent.properties")))
                .hasMessageContaining("absent.properties: no such readable file");
    }

    @Test
    void providersMustBeDeclared() {
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of(
                "security.protocol", "SSL", "ssl.keystore.password", "${dir:/x:y}"), null))
                .hasMessageContaining("refers to config provider 'dir', which config.providers does not list");
        assertThatThrownBy(() -> KafkaClientSecurity.of(Map.of(
                "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider"), null))
                .hasMessageContaining("which config.providers does not list");
    }

    @Test
    void anEmptyFileMeansPlaintext() throws Exception {
        KafkaClientSecurity none = KafkaClientSecurity.load(write("empty.properties", "# nothing\n"));
        assertThat(none.protocol()).isEqualTo("PLAINTEXT");
        assertThat(none.settings()).isEmpty();
        assertThat(KafkaClientSecurity.NONE.settings()).isEmpty();
    }
}
