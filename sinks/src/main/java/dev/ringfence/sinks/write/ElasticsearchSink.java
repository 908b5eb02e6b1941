package dev.ringfence.sinks.write;

import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import dev.ringfence.sinks.template.IndexNames;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes alerts, audit entries and service edges, read raw from Kafka, into Elasticsearch. At least once: every buffered
 * document is written (or dead-lettered) before a checkpoint completes, and document ids make the replay
 * after a failure harmless.
 */
public final class ElasticsearchSink implements Sink<KafkaBytes> {
    private static final long serialVersionUID = 1L;

    private final ElasticsearchEndpoint endpoint;
    private final IndexNames names;
    private final String kafkaBootstrapServers;
    // validated Kafka client security settings (KafkaClientSecurity), as a serializable map
    private final TreeMap<String, String> kafkaSecurity;
    private final int maxBatchDocuments;
    private final long flushIntervalMillis;

    public ElasticsearchSink(ElasticsearchEndpoint endpoint, IndexNames names, String kafkaBootstrapServers,
                             Map<String, String> kafkaSecurity,
                             int maxBatchDocuments, Duration flushInterval) {
        if (maxBatchDocuments < 1) {
            throw new IllegalArgumentException("a batch holds at least one document, got " + maxBatchDocuments);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flush interval must be positive, got " + flushInterval);
        }
        this.endpoint = endpoint;
        this.names = names;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.kafkaSecurity = new TreeMap<>(kafkaSecurity);
        this.maxBatchDocuments = maxBatchDocuments;
        this.flushIntervalMillis = flushInterval.toMillis();
    }

    @Override
    public SinkWriter<KafkaBytes> createWriter(WriterInitContext context) {
        return new ElasticsearchSinkWriter(context, endpoint.client(), new DocumentRouter(names),
                new DeadLetterPublisher(kafkaBootstrapServers, kafkaSecurity), maxBatchDocuments, flushIntervalMillis);
    }
}
