package dev.ringfence.jobs;

import dev.ringfence.jobs.config.InvalidConfigException;
import dev.ringfence.jobs.config.JobArgs;
import dev.ringfence.jobs.config.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Lineage, detection and response over the Ringfence topics. As a command it runs where Flink puts it (a
 * cluster via {@code flink run}, else locally); {@link #start} runs it in-process on a private MiniCluster.
 */
public final class RingfenceJob {
    private RingfenceJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config;
        try {
            config = JobArgs.parse(args);
        } catch (InvalidConfigException e) {
            System.err.println("ringfence-jobs: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = JobEnvironment.environment(JobEnvironment.flinkConfiguration(config), false);
        RingfenceTopology.build(env, config);
        env.execute(config.jobName);
    }

    /**
     * Runs the job on a local MiniCluster with {@code parallelism} slots; every temporary file (RPC jars, blobs,
     * local state) and, unless configured, the checkpoints stay under {@code workDir}. Returns once submitted.
     */
    public static RunningJob start(JobConfig config, Path workDir) throws Exception {
        config.validate();
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        if (config.pipeline.checkpointDir == null) {
            config.pipeline.checkpointDir = Files.createDirectories(workDir.resolve("checkpoints")).toUri().toString();
        }
        Configuration flink = JobEnvironment.flinkConfiguration(config);
        flink.set(CoreOptions.TMP_DIRS, tmp.toString());
        flink.set(TaskManagerOptions.NUM_TASK_SLOTS, config.pipeline.parallelism);
        flink.set(RestOptions.BIND_PORT, "0");
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flink)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(config.pipeline.parallelism)
                .build());
        try {
            cluster.start();
            StreamExecutionEnvironment env = JobEnvironment.environment(flink, true);
            RingfenceTopology.build(env, config);
            JobGraph graph = env.getStreamGraph().getJobGraph();
            JobID jobId = cluster.submitJob(graph).get().getJobID();
            return new RunningJob(cluster, jobId, checkpointRoot(config.pipeline.checkpointDir));
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static Path checkpointRoot(String uri) throws IOException {
        return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : null;
    }
}
