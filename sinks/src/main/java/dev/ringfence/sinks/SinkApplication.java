package dev.ringfence.sinks;

import dev.ringfence.contract.kafka.Topic;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIEM feed as a job of an existing Flink cluster (the Flink Kubernetes Operator's application mode, or
 * {@code flink run}): the same pipeline and arguments as {@link SinkJob}, but no local cluster. Checkpoint
 * storage, state backend, high availability and resuming after an upgrade (savepoints) are the cluster's;
 * {@code --work-dir} is not used.
 */
public final class SinkApplication {
    public static final String JOB_NAME = "ringfence-sinks-elasticsearch";
    private static final Logger LOG = LoggerFactory.getLogger(SinkApplication.class);

    private SinkApplication() {}

    public static void main(String[] args) throws Exception {
        SinkConfig config = SinkArguments.parseOrExit(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration(config));
        SinkJob.buildPipeline(env, config);
        LOG.info("sink job writing {}, {} and {} to {}", Topic.ALERTS.topicName(), Topic.AUDIT.topicName(),
                Topic.SERVICE_GRAPH.topicName(), config.elasticsearch());
        env.execute(JOB_NAME);
    }

    /** What the job sets itself, as SinkJob does on its local cluster; where checkpoints go is the cluster's choice. */
    static Configuration jobConfiguration(SinkConfig config) {
        Configuration flink = new Configuration();
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // Elasticsearch down for longer than a checkpoint timeout must not fail the job: it waits and catches up
        flink.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, Integer.MAX_VALUE);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        return flink;
    }
}
