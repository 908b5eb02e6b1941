package dev.ringfence.sinks;

import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.sinks.write.ElasticsearchSink;
import dev.ringfence.sinks.write.KafkaBytes;
import dev.ringfence.sinks.write.KafkaBytesDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIEM feed: reads {@link Topic#ALERTS}, {@link Topic#AUDIT} and {@link Topic#SERVICE_GRAPH} and writes them to Elasticsearch as
 * ECS documents. Runs on a local Flink cluster whose checkpoints live in the work directory; a restarted
 * job resumes from the newest retained checkpoint.
 */
public final class SinkJob {
    private static final Logger LOG = LoggerFactory.getLogger(SinkJob.class);

    private SinkJob() {}

    /** {@code --kafka HOST:PORT --elasticsearch URL [--api-key-file F | --user U --password-file F] [--ca-cert F] ...} */
    public static void main(String[] args) throws Exception {
        SinkConfig config = SinkArguments.parseOrExit(args);
        RunningSinkJob job = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(job::close, "sink-job-shutdown"));
        LOG.info("sink job {} writing {}, {} and {} to {}", job.jobId(), Topic.ALERTS.topicName(), Topic.AUDIT.topicName(),
                Topic.SERVICE_GRAPH.topicName(), config.elasticsearch());
        job.awaitTermination();
    }

    /** Starts the job on a local Flink cluster, resuming from the newest checkpoint in the work directory if any. */
    public static RunningSinkJob start(SinkConfig config) throws Exception {
        Configuration flink = flinkConfiguration(config);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flink).setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build());
        cluster.start();
        try {
            StreamExecutionEnvironment env = new StreamExecutionEnvironment(flink);
            buildPipeline(env, config);
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName("ringfence-sinks-elasticsearch");
            Optional<Path> checkpoint = newestCheckpoint(checkpointsDir(config));
            checkpoint.ifPresent(path -> {
                LOG.info("resuming the sink job from checkpoint {}", path);
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(path.toString(), false));
            });
            JobID jobId = cluster.submitJob(graph).get().getJobID();
            return new RunningSinkJob(cluster, jobId);
        } catch (Exception e) {
            cluster.closeAsync();
            throw e;
        }
    }

    /** The pipeline alone, for running on an existing Flink cluster. */
    public static void buildPipeline(StreamExecutionEnvironment env, SinkConfig config) {
        KafkaSource<KafkaBytes> source = KafkaSource.<KafkaBytes>builder()
                .setBootstrapServers(config.kafkaBootstrapServers())
                .setTopics(Topic.ALERTS.topicName(), Topic.AUDIT.topicName(), Topic.SERVICE_GRAPH.topicName())
                .setGroupId(config.consumerGroup())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaBytesDeserializer())
                .setProperties(sourceProperties(config))
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-alerts-audit-service-graph").uid("kafka-alerts-and-audit")
                .sinkTo(new ElasticsearchSink(config.elasticsearch(), config.names(), config.kafkaBootstrapServers(),
                        config.kafkaSecurity().settings(),
                        config.maxBatchDocuments(), config.flushInterval()))
                .name("elasticsearch").uid("elasticsearch");
    }

    /** What the Kafka source is given besides topics, group and offsets: commit on checkpoint, security settings. */
    static Properties sourceProperties(SinkConfig config) {
        Properties properties = config.kafkaSecurity().toProperties();
        properties.setProperty("commit.offsets.on.checkpoint", "true");
        return properties;
    }

    static Configuration flinkConfiguration(SinkConfig config) {
        Configuration flink = new Configuration();
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        flink.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointsDir(config).toUri().toString());
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // Elasticsearch down for longer than a checkpoint timeout must not fail the job: it waits and catches up
        flink.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, Integer.MAX_VALUE);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        flink.set(CoreOptions.TMP_DIRS, config.workDir().resolve("tmp").toString());
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(RestOptions.BIND_PORT, "0");
        return flink;
    }

    static Path checkpointsDir(SinkConfig config) {
        return config.workDir().toAbsolutePath().resolve("checkpoints");
    }

    /** The most recent completed checkpoint (a chk-N directory with its metadata) of any earlier run. */
    static Optional<Path> newestCheckpoint(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(checkpointsDir, 3)) {
            return files.filter(path -> path.getFileName().toString().equals("_metadata"))
                    .max(Comparator.comparing(SinkJob::modified))
                    .map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for checkpoints in " + checkpointsDir, e);
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
