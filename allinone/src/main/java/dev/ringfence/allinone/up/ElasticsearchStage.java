package dev.ringfence.allinone.up;

import dev.ringfence.embedded.elasticsearch.EmbeddedElasticsearch;
import dev.ringfence.sinks.RunningSinkJob;
import dev.ringfence.sinks.SinkConfig;
import dev.ringfence.sinks.SinkJob;
import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import java.nio.file.Path;

/** The Elasticsearch sink job, writing to an embedded node in the state directory or to a given cluster. */
final class ElasticsearchStage implements AutoCloseable {
    private final EmbeddedElasticsearch node;
    private final RunningSinkJob job;
    private final String url;

    private ElasticsearchStage(EmbeddedElasticsearch node, RunningSinkJob job, String url) {
        this.node = node;
        this.job = job;
        this.url = url;
    }

    static ElasticsearchStage start(String bootstrap, String elasticsearch, Path stateDir) throws Exception {
        EmbeddedElasticsearch node = UpOptions.EMBEDDED_ELASTICSEARCH.equals(elasticsearch)
                ? EmbeddedElasticsearch.launch(stateDir.resolve("elasticsearch")) : null;
        String url = node == null ? elasticsearch : node.httpUrl();
        try {
            RunningSinkJob job = SinkJob.start(SinkConfig.of(bootstrap, ElasticsearchEndpoint.anonymous(url), stateDir.resolve("sink")));
            return new ElasticsearchStage(node, job, url);
        } catch (Exception | Error e) {
            if (node != null) {
                node.close();
            }
            throw e;
        }
    }

    String describe() {
        return (node == null ? "sink job writing to " : "sink job writing to an embedded node at ") + url;
    }

    /** The job goes first: it flushes into the node. */
    @Override
    public void close() {
        try {
            job.close();
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }
}
