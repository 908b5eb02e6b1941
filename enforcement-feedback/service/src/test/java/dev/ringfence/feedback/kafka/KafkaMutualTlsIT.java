package dev.ringfence.feedback.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.RandomRecords;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.embedded.kafka.TlsListener;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The --kafka-config mechanism against a real broker whose SSL listener requires client certificates, set up the
 * way k8s/ sets up Strimzi's: PEM trust store (the CA), PKCS12 key store whose password Kafka's directory config
 * provider reads from a file. The audit producer and a consumer with those settings get through; a client with
 * the trust store only is refused in the TLS handshake.
 */
class KafkaMutualTlsIT {
    private static final ContractCodec<AuditEntry> AUDIT = ContractCodec.of(AuditEntry.class);

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static String sslBootstrap;
    static Path mounted;

    @BeforeAll
    static void brokerWithAnMutualTlsListener() throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(dir.resolve("ca"));
        IssuedCertificate broker = ca.issueService("kafka", List.of());
        IssuedCertificate client = ca.issueNode("kafka-client");

        Path brokerPem = dir.resolve("broker.pem");
        Files.writeString(brokerPem, Files.readString(broker.privateKey()) + Files.readString(broker.certificate()));

        // what the pod mounts: ca.crt, user.p12, user.password, kafka.properties (as k8s/base/kafka/kafka-client.properties)
        mounted = Files.createDirectories(dir.resolve("mounted"));
        Files.copy(ca.caCertificateFile(), mounted.resolve("ca.crt"));
        String password = "p12-" + System.nanoTime();
        Files.writeString(mounted.resolve("user.password"), password);
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        Certificate certificate;
        try (InputStream in = Files.newInputStream(client.certificate())) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        p12.setKeyEntry("user", client.loadPrivateKey(), password.toCharArray(), new Certificate[] {certificate});
        try (OutputStream out = Files.newOutputStream(mounted.resolve("user.p12"))) {
            p12.store(out, password.toCharArray());
        }
        Files.writeString(mounted.resolve("kafka.properties"), """
                security.protocol=SSL
                ssl.truststore.type=PEM
                ssl.truststore.location=%1$s/ca.crt
                ssl.keystore.type=PKCS12
                ssl.keystore.location=%1$s/user.p12
                ssl.keystore.password=${dir:%1$s:user.password}
                config.providers=dir
                config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
                """.formatted(mounted));

        // the plain listener serves the broker itself and topic set-up; clients of this test use the mTLS one
        kafka = EmbeddedKafka.launchWithTls(dir.resolve("kafka"), new TlsListener(brokerPem, ca.caCertificateFile()));
        sslBootstrap = kafka.tlsBootstrapServers();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theAuditTrailWritesAndAConsumerReadsOverMutualTls() throws Exception {
        KafkaClientSecurity security = KafkaClientSecurity.load(mounted.resolve("kafka.properties"));
        AuditEntry entry = new RandomRecords(8).next(AuditEntry.class);
        try (KafkaAuditTrail trail = new KafkaAuditTrail(sslBootstrap, security)) {
            trail.write(entry);
        }
        Map<String, Object> consumerConfig = AuditRecovery.consumerConfig(sslBootstrap, security);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.AUDIT.topicName(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            AuditEntry read = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    read = AUDIT.decode(record.value());
                }
            }
            assertThat(read).isEqualTo(entry);
        }
    }

    @Test
    void aClientWithoutItsCertificateIsRefusedInTheHandshake() {
        KafkaClientSecurity trustOnly = KafkaClientSecurity.of(Map.of(
                "security.protocol", "SSL",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", mounted.resolve("ca.crt").toString()), null);
        Map<String, Object> config = trustOnly.applyTo(new HashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sslBootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)));
        try (Admin admin = Admin.create(config)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
        // the control case: the same client with its certificate lists the contract's topics
        Map<String, Object> withCertificate = KafkaClientSecurity.load(mounted.resolve("kafka.properties")).applyTo(
                new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sslBootstrap)));
        try (Admin admin = Admin.create(withCertificate)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topic.AUDIT.topicName());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
