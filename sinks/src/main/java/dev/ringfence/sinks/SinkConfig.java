package dev.ringfence.sinks;

import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import dev.ringfence.sinks.template.IndexNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Everything the sink job needs. {@code workDir} holds the local Flink cluster's checkpoints (the job
 * resumes from the newest one) and temporary files.
 */
public record SinkConfig(String kafkaBootstrapServers, ElasticsearchEndpoint elasticsearch, IndexNames names, Path workDir,
                         Duration checkpointInterval, int maxBatchDocuments, Duration flushInterval, String consumerGroup,
                         KafkaClientSecurity kafkaSecurity) {
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_BATCH_DOCUMENTS = 1000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(200);
    public static final String DEFAULT_CONSUMER_GROUP = "ringfence-sinks-elasticsearch";

    private static final Pattern BOOTSTRAP = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");

    public SinkConfig {
        if (kafkaBootstrapServers == null || !BOOTSTRAP.matcher(kafkaBootstrapServers).matches()) {
            throw new IllegalArgumentException("Kafka bootstrap servers must be HOST:PORT[,HOST:PORT...], got '"
                    + kafkaBootstrapServers + "'");
        }
        if (elasticsearch == null || names == null || workDir == null) {
            throw new IllegalArgumentException("Elasticsearch endpoint, namespace and work directory are required");
        }
        if (checkpointInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("checkpoint interval must be at least 100 ms, got " + checkpointInterval);
        }
        if (maxBatchDocuments < 1 || maxBatchDocuments > 100_000) {
            throw new IllegalArgumentException("batch size must be 1..100000 documents, got " + maxBatchDocuments);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flush interval must be positive, got " + flushInterval);
        }
        if (consumerGroup == null || consumerGroup.isBlank()) {
            throw new IllegalArgumentException("consumer group must not be blank");
        }
        if (kafkaSecurity == null) {
            throw new IllegalArgumentException("Kafka client security must be given (KafkaClientSecurity.NONE for plaintext)");
        }
    }

    /** Defaults for everything but where Kafka and Elasticsearch are and where the job keeps its files. */
    public static SinkConfig of(String kafkaBootstrapServers, ElasticsearchEndpoint elasticsearch, Path workDir) {
        return new SinkConfig(kafkaBootstrapServers, elasticsearch, new IndexNames(IndexNames.DEFAULT_NAMESPACE), workDir,
                DEFAULT_CHECKPOINT_INTERVAL, DEFAULT_MAX_BATCH_DOCUMENTS, DEFAULT_FLUSH_INTERVAL, DEFAULT_CONSUMER_GROUP,
                KafkaClientSecurity.NONE);
    }

    public SinkConfig withNamespace(String namespace) {
        return new SinkConfig(kafkaBootstrapServers, elasticsearch, new IndexNames(namespace), workDir, checkpointInterval,
                maxBatchDocuments, flushInterval, consumerGroup, kafkaSecurity);
    }

    public SinkConfig withCheckpointInterval(Duration interval) {
        return new SinkConfig(kafkaBootstrapServers, elasticsearch, names, workDir, interval, maxBatchDocuments, flushInterval,
                consumerGroup, kafkaSecurity);
    }

    public SinkConfig withBatching(int documents, Duration interval) {
        return new SinkConfig(kafkaBootstrapServers, elasticsearch, names, workDir, checkpointInterval, documents, interval,
                consumerGroup, kafkaSecurity);
    }

    /** TLS/SASL settings ({@code --kafka-config FILE}) for the Kafka source and the dead-letter producer. */
    public SinkConfig withKafkaSecurity(KafkaClientSecurity security) {
        return new SinkConfig(kafkaBootstrapServers, elasticsearch, names, workDir, checkpointInterval, maxBatchDocuments,
                flushInterval, consumerGroup, security);
    }
}
