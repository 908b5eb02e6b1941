package dev.ringfence.sinks;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** The sink job on its local Flink cluster. Closing cancels the job (its last checkpoint is kept) and stops the cluster. */
public final class RunningSinkJob implements AutoCloseable {
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(60);

    private final MiniCluster cluster;
    private final JobID jobId;

    RunningSinkJob(MiniCluster cluster, JobID jobId) {
        this.cluster = cluster;
        this.jobId = jobId;
    }

    public JobID jobId() {
        return jobId;
    }

    /** Takes a checkpoint now: every document read so far is written, and Kafka offsets are committed. Returns its path. */
    public String checkpoint() {
        return await(cluster.triggerCheckpoint(jobId), "checkpoint");
    }

    /** Blocks until the job ends (it only ends by failing for good or being cancelled). */
    public void awaitTermination() throws InterruptedException {
        try {
            cluster.requestJobResult(jobId).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("sink job " + jobId + " could not be watched", e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            if (!cluster.getJobStatus(jobId).get(CLUSTER_TIMEOUT.toSeconds(), TimeUnit.SECONDS).isGloballyTerminalState()) {
                await(cluster.cancelJob(jobId), "cancel");
                cluster.requestJobResult(jobId).get(CLUSTER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            // the cluster goes down below either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            await(cluster.closeAsync(), "shutdown");
        }
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) {
        try {
            return future.get(CLUSTER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " of sink job " + jobId + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what + " of sink job " + jobId, e);
        }
    }
}
