package dev.ringfence.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** The job running on its own local MiniCluster; closing it cancels the job and stops the cluster. */
public final class RunningJob implements AutoCloseable {
    private final MiniCluster cluster;
    private final JobID jobId;
    private final Path checkpointRoot;

    RunningJob(MiniCluster cluster, JobID jobId, Path checkpointRoot) {
        this.cluster = cluster;
        this.jobId = jobId;
        this.checkpointRoot = checkpointRoot;
    }

    public JobID jobId() {
        return jobId;
    }

    public JobStatus status() throws Exception {
        return cluster.getJobStatus(jobId).get();
    }

    /** Waits until every task runs (the source reads), or fails saying what state the job is in. */
    public RunningJob awaitRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus status = status();
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("job " + jobId + " ended: " + status);
            }
            var graph = cluster.getExecutionGraph(jobId).get();
            boolean allRunning = status == JobStatus.RUNNING;
            for (var vertex : graph.getAllExecutionVertices()) {
                allRunning &= vertex.getExecutionState() == ExecutionState.RUNNING;
            }
            if (allRunning) {
                return this;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("job " + jobId + " not running after " + timeout + ": " + status());
    }

    /** The newest completed checkpoint of this job, when checkpoints go to a directory. */
    public Optional<Path> latestCheckpoint() throws IOException {
        Path jobDir = checkpointRoot == null ? null : checkpointRoot.resolve(jobId.toHexString());
        if (jobDir == null || !Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .filter(dir -> Files.exists(dir.resolve("_metadata")))
                    .max(Comparator.comparingLong(RunningJob::checkpointNumber));
        }
    }

    /** Waits for a checkpoint newer than the newest one now: it covers everything processed before the call. */
    public Path awaitNewCheckpoint(Duration timeout) throws Exception {
        long before = latestCheckpoint().map(RunningJob::checkpointNumber).orElse(0L);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Path> latest = latestCheckpoint();
            if (latest.isPresent() && checkpointNumber(latest.get()) > before) {
                return latest.get();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no checkpoint completed within " + timeout
                + (checkpointRoot == null ? " (no checkpoint directory configured)" : ""));
    }

    private static long checkpointNumber(Path dir) {
        return Long.parseLong(dir.getFileName().toString().substring("chk-".length()));
    }

    @Override
    public void close() throws Exception {
        try {
            if (!status().isGloballyTerminalState()) {
                cluster.cancelJob(jobId).get();
            }
        } finally {
            cluster.close();
        }
    }
}
