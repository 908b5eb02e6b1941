package dev.ringfence.jobs;

import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.config.PipelineSettings;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The Flink settings the job needs wherever it runs (MiniCluster or cluster). */
final class JobEnvironment {
    private JobEnvironment() {}

    /** An environment with the job's settings; configure() applies the pipeline options (object reuse,
     * no generic types) to the ExecutionConfig, which the constructor alone does not. */
    static StreamExecutionEnvironment environment(Configuration flink, boolean local) {
        StreamExecutionEnvironment env = local ? new StreamExecutionEnvironment(flink)
                : StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.configure(flink);
        return env;
    }

    static Configuration flinkConfiguration(JobConfig config) {
        PipelineSettings pipeline = config.pipeline;
        Configuration flink = new Configuration();
        flink.set(PipelineOptions.NAME, config.jobName);
        // every type on the wire is Avro or a POJO: a Kryo fallback would be a bug (and slow)
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        // operators never mutate their inputs, so chained operators can share records
        flink.set(PipelineOptions.OBJECT_REUSE, true);
        flink.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(50));
        flink.set(CoreOptions.DEFAULT_PARALLELISM, pipeline.parallelism);
        flink.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(pipeline.bufferTimeoutMs));
        flink.set(StateBackendOptions.STATE_BACKEND, pipeline.stateBackend);
        if ("rocksdb".equals(pipeline.stateBackend)) {
            flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        long checkpointIntervalMs = pipeline.checkpointIntervalMs(config.kafka.exactlyOnce());
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(checkpointIntervalMs));
        flink.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        flink.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(Math.min(1_000, checkpointIntervalMs / 2)));
        if (pipeline.checkpointDir != null) {
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, pipeline.checkpointDir);
            // a restart (upgrade, crash of the whole process) resumes from the last checkpoint
            flink.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (pipeline.restoreFrom != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, pipeline.restoreFrom);
        }
        return flink;
    }
}
