package dev.ringfence.jobs;

import dev.ringfence.jobs.config.JobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

/**
 * The job submitted to an existing Flink cluster through its REST endpoint, with the jars it needs shipped
 * along; closing it cancels the job (the cluster keeps running).
 */
public final class RemoteJob implements AutoCloseable {
    private final JobClient client;

    private RemoteJob(JobClient client) {
        this.client = client;
    }

    /**
     * Submits the job to the cluster whose REST endpoint is {@code host:port}; {@code jars}: the jobs module's jar
     * and its runtime dependencies. Returns once the cluster accepted it.
     */
    public static RemoteJob submit(JobConfig config, String host, int port, List<Path> jars) throws Exception {
        config.validate();
        Configuration flink = JobEnvironment.flinkConfiguration(config);
        // a cluster that does not answer fails the submission after a few seconds, not the client's default minute
        flink.set(RestOptions.RETRY_MAX_ATTEMPTS, 2);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(host, port, flink,
                jars.stream().map(Path::toString).toArray(String[]::new));
        env.configure(flink);
        RingfenceTopology.build(env, config);
        try {
            return new RemoteJob(env.executeAsync(config.jobName));
        } catch (Exception e) {
            Throwable cause = ExceptionUtils.stripCompletionException(e);
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalStateException("the Flink cluster at " + host + ":" + port + " did not take the job: " + cause, e);
        }
    }

    public JobID jobId() {
        return client.getJobID();
    }

    public JobStatus status() throws Exception {
        return client.getJobStatus().get();
    }

    /** Waits until the cluster reports the job RUNNING, or fails saying what state it is in. */
    public RemoteJob awaitRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus status = status();
            if (status == JobStatus.RUNNING) {
                return this;
            }
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("job " + jobId() + " ended: " + status);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + jobId() + " not running after " + timeout + ": " + status());
    }

    @Override
    public void close() throws Exception {
        if (!status().isGloballyTerminalState()) {
            client.cancel().get();
        }
    }
}
