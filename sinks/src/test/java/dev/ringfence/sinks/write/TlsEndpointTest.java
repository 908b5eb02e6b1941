package dev.ringfence.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ca-cert}: the sink trusts a cluster whose HTTP certificate that CA signed, and only then. */
class TlsEndpointTest {
    private static final String STORE_PASSWORD = "test-only";

    @TempDir
    Path dir;

    @Test
    void writesOverHttpsTrustingTheGivenCa() throws Exception {
        Path keyStore = dir.resolve("node.p12");
        Path caCert = dir.resolve("http_ca.crt");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                "-file", caCert.toString());

        try (ScriptedHttpPeer peer = new ScriptedHttpPeer(serverContext(keyStore))) {
            peer.answerBulk(200, "{\"took\":1,\"errors\":false,\"items\":[{\"create\":{\"_index\":\"i\",\"_id\":\"tls\",\"status\":201}}]}");
            assertThatThrownBy(() -> ElasticsearchEndpoint.of(peer.url().replace("https", "http"), null, null, null, caCert))
                    .hasMessageContaining("only used with an https:// URL");

            ElasticsearchClient client = ElasticsearchEndpoint.of(peer.url(), null, null, null, caCert).client();
            SinkMetrics metrics = SinkMetrics.unregistered();
            BulkIndexer indexer = new BulkIndexer(client, metrics);
            indexer.add(new PendingDocument("logs-ringfence.audit-default", "tls", null, Map.of("event", Map.of("id", "tls")),
                    new KafkaBytes(Topic.AUDIT.topicName(), 0, 1, null, new byte[0])));
            assertThat(indexer.flush()).isEmpty();
            assertThat(metrics.written()).isEqualTo(1);
            client._transport().close();
        }
    }

    @Test
    void withoutTheCaTheClusterIsNotTrusted() throws Exception {
        Path keyStore = dir.resolve("other.p12");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD);
        try (ScriptedHttpPeer peer = new ScriptedHttpPeer(serverContext(keyStore))) {
            ElasticsearchClient client = ElasticsearchEndpoint.anonymous(peer.url()).client();
            assertThatThrownBy(() -> client.cluster().health()).hasRootCauseInstanceOf(
                    java.security.cert.CertPathBuilderException.class);
            client._transport().close();
            assertThat(peer.requests()).isEmpty();
        }
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
    }
}
