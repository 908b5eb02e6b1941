package dev.ringfence.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import dev.ringfence.sinks.template.IndexTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retry and rejection rules, against a peer that answers 429s and 503s on cue. */
class BulkIndexerTest {
    private ScriptedHttpPeer peer;
    private ElasticsearchClient client;
    private final SinkMetrics metrics = SinkMetrics.unregistered();

    @BeforeEach
    void start() throws Exception {
        peer = new ScriptedHttpPeer();
        client = ElasticsearchEndpoint.anonymous(peer.url()).client();
    }

    @AfterEach
    void stop() throws Exception {
        client._transport().close();
        peer.close();
    }

    @Test
    void retriesOnlyTheRefusedDocumentsAndDeadLettersTheRejectedOnes() throws Exception {
        peer.answerBulk(200, bulkResponse(item(201, null), item(429, "es_rejected_execution_exception"),
                item(400, "document_parsing_exception"), item(409, "version_conflict_engine_exception"),
                item(503, "unavailable_shards_exception")));
        peer.answerBulk(200, bulkResponse(item(201, null), item(201, null)));
        BulkIndexer indexer = new BulkIndexer(client, metrics);
        List.of("ok", "busy", "bad", "replayed", "unavailable").forEach(id -> indexer.add(document(id)));

        List<Rejection> rejected = indexer.flush();

        assertThat(rejected).singleElement().satisfies(rejection -> {
            assertThat(rejection.origin().offset).isEqualTo(offsetOf("bad"));
            assertThat(rejection.reason()).contains("logs-ringfence.audit-default/bad").contains("document_parsing_exception");
        });
        List<ScriptedHttpPeer.Request> bulks = peer.bulkRequests();
        assertThat(bulks).hasSize(2);
        assertThat(bulks.get(1).body()).contains("\"busy\"").contains("\"unavailable\"").doesNotContain("\"ok\"")
                .doesNotContain("\"bad\"").doesNotContain("\"replayed\"");
        assertThat(metrics.written()).isEqualTo(3);
        assertThat(metrics.duplicates()).isEqualTo(1);
        assertThat(metrics.bulkRetries()).isEqualTo(1);
    }

    @Test
    void waitsOutAWholeRequestRefusalAndInstallsTheTemplatesFirst() throws Exception {
        peer.answerBulk(503, "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"no master\"},\"status\":503}");
        peer.answerBulk(429, "{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"},\"status\":429}");
        peer.answerBulk(200, bulkResponse(item(201, null)));
        BulkIndexer indexer = new BulkIndexer(client, metrics);
        indexer.add(document("late"));

        assertThat(indexer.flush()).isEmpty();

        assertThat(metrics.written()).isEqualTo(1);
        assertThat(metrics.bulkRetries()).isEqualTo(2);
        assertThat(peer.requests()).extracting(ScriptedHttpPeer.Request::path).startsWith(
                IndexTemplates.COMPONENTS.stream().map(name -> "/_component_template/" + name).toArray(String[]::new));
    }

    @Test
    void aRequestTheClusterCallsMalformedIsDeadLetteredNotRetriedForever() throws Exception {
        peer.answerBulk(400, "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"bad bulk\"},\"status\":400}");
        BulkIndexer indexer = new BulkIndexer(client, metrics);
        indexer.add(document("one"));
        indexer.add(document("two"));

        assertThat(indexer.flush()).hasSize(2).allSatisfy(rejection -> assertThat(rejection.reason()).contains("bad bulk"));
    }

    @Test
    void sendsTheApiKeyOrBasicCredentialsFromTheirFiles(@TempDir Path dir) throws Exception {
        Path apiKey = Files.writeString(dir.resolve("key"), "a2V5OnNlY3JldA==\n");
        Path password = Files.writeString(dir.resolve("password"), "s3cret");
        peer.answerBulk(200, bulkResponse(item(201, null)));
        peer.answerBulk(200, bulkResponse(item(201, null)));
        for (ElasticsearchEndpoint endpoint : List.of(ElasticsearchEndpoint.of(peer.url(), apiKey, null, null, null),
                ElasticsearchEndpoint.of(peer.url(), null, "ringfence", password, null))) {
            ElasticsearchClient authenticated = endpoint.client();
            BulkIndexer indexer = new BulkIndexer(authenticated, metrics);
            indexer.add(document("x"));
            indexer.flush();
            authenticated._transport().close();
        }
        assertThat(peer.bulkRequests()).extracting(ScriptedHttpPeer.Request::authorization)
                .containsExactly("ApiKey a2V5OnNlY3JldA==", "Basic cmluZ2ZlbmNlOnMzY3JldA==");
    }

    private static PendingDocument document(String id) {
        KafkaBytes origin = new KafkaBytes(Topic.AUDIT.topicName(), 0, offsetOf(id), null, new byte[0]);
        return new PendingDocument("logs-ringfence.audit-default", id, null, Map.of("event", Map.of("id", id)), origin);
    }

    private static long offsetOf(String id) {
        return Math.abs(id.hashCode());
    }

    private static String item(int status, String errorType) {
        String error = errorType == null ? "" : ",\"error\":{\"type\":\"" + errorType + "\",\"reason\":\"scripted " + status + "\"}";
        return "{\"create\":{\"_index\":\"logs-ringfence.audit-default\",\"_id\":\"x\",\"status\":" + status + error + "}}";
    }

    private static String bulkResponse(String... items) {
        return "{\"took\":1,\"errors\":true,\"items\":[" + String.join(",", items) + "]}";
    }
}
