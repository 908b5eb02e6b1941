package dev.ringfence.embedded.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node: it indexes and searches, serves data streams, and keeps data and URL across a restart. */
class EmbeddedElasticsearchIT {
    @TempDir
    static Path dataDir;

    static EmbeddedElasticsearch elasticsearch;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startNode() {
        elasticsearch = EmbeddedElasticsearch.launch(dataDir);
    }

    @AfterAll
    static void stopNode() {
        elasticsearch.close();
    }

    @Test
    void indexesAndSearchesOnLoopbackAndKeepsDataAcrossARestart() throws Exception {
        String url = elasticsearch.httpUrl();
        assertThat(url).startsWith("http://127.0.0.1:");
        assertThat(send("PUT", "/restart-check/_doc/1?refresh=true", "{\"workload\":\"payments\"}").statusCode())
                .isEqualTo(201);

        elasticsearch.stop();
        assertThat(elasticsearch.isRunning()).isFalse();
        assertThatThrownBy(() -> send("GET", "/_cluster/health", null)).isInstanceOf(IOException.class);

        elasticsearch.start();
        assertThat(elasticsearch.httpUrl()).isEqualTo(url);
        HttpResponse<String> found = send("GET", "/restart-check/_doc/1", null);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("\"workload\":\"payments\"");
    }

    @Test
    void servesDataStreamsWithStrictTypedMappingsAndTheLifecycleSetting() throws Exception {
        String template = """
                {"index_patterns":["logs-launcher.check-*"],"data_stream":{},
                 "template":{"settings":{"index.lifecycle.name":"ringfence","index.auto_expand_replicas":"0-1"},
                  "mappings":{"dynamic":"strict","properties":{"@timestamp":{"type":"date"},"source":{"properties":{"ip":{"type":"ip"}}}}}}}""";
        assertThat(send("PUT", "/_index_template/launcher-check", template).statusCode()).isEqualTo(200);

        String document = "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"source\":{\"ip\":\"10.1.2.3\"}}";
        assertThat(send("PUT", "/logs-launcher.check-default/_create/a?refresh=true", document).statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/logs-launcher.check-default/_create/a", document).statusCode())
                .as("a data stream refuses a second document with the same id").isEqualTo(409);
        assertThat(send("PUT", "/logs-launcher.check-default/_create/b",
                "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"source\":{\"ip\":\"not-an-ip\"}}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> search = send("POST", "/logs-launcher.check-default/_search",
                "{\"query\":{\"term\":{\"source.ip\":\"10.1.0.0/16\"}}}");
        assertThat(search.body()).as("an ip field answers a CIDR query").contains("\"total\":{\"value\":1,");
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(elasticsearch.httpUrl() + path));
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
