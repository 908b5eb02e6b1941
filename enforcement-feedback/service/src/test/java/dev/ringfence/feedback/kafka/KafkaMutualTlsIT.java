package dev.ringfence.feedback.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.RandomRecords;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

        // the embedded broker reuses a server.properties it finds: the plain listener (topic set-up) plus SSL
        Path data = Files.createDirectories(dir.resolve("kafka"));
        int port = freePort();
        int sslPort = freePort();
        int controllerPort = freePort();
        Properties config = new Properties();
        config.setProperty("ringfence.port", Integer.toString(port));
        config.setProperty("ringfence.controller.port", Integer.toString(controllerPort));
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + sslPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + sslPort);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
        config.setProperty("listener.name.ssl.ssl.keystore.type", "PEM");
        config.setProperty("listener.name.ssl.ssl.keystore.location", brokerPem.toString());
        config.setProperty("listener.name.ssl.ssl.truststore.type", "PEM");
        config.setProperty("listener.name.ssl.ssl.truststore.location", ca.caCertificateFile().toString());
        config.setProperty("listener.name.ssl.ssl.client.auth", "required");
        config.setProperty("log.dirs", data.resolve("kafka-logs").toString());
        config.setProperty("auto.create.topics.enable", "false");
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", "4");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        try (Writer out = Files.newBufferedWriter(data.resolve("server.properties"))) {
            config.store(out, "KafkaMutualTlsIT");
        }
        kafka = EmbeddedKafka.launch(data);
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        sslBootstrap = "127.0.0.1:" + sslPort;
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

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
