package dev.ringfence.jobs.config;

import java.io.Serializable;
import java.util.Set;

/** Parallelism, latency, time and fault-tolerance settings of the job. */
public final class PipelineSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public int parallelism = 1;
    /** Network buffer flush interval: small, because containment waits on it. */
    public long bufferTimeoutMs = 1;
    public long checkpointIntervalMs = 5_000;
    /** "hashmap" (heap) or "rocksdb" (large state, incremental checkpoints). */
    public String stateBackend = "hashmap";
    /** file:// or other Flink file system URI; null keeps checkpoints in the job manager (tests, demos). */
    public String checkpointDir;
    /** A retained checkpoint or savepoint to start from (its directory or _metadata file); null starts fresh. */
    public String restoreFrom;
    /** Event-time slack per node before an event counts as late. */
    public long maxOutOfOrdernessMs = 2_000;
    /** A node silent this long no longer holds back the watermark. */
    public long nodeIdleMs = 1_000;

    void validate() {
        Check.positive("pipeline.parallelism", parallelism);
        Check.atLeast("pipeline.bufferTimeoutMs", bufferTimeoutMs, 0);
        Check.positive("pipeline.checkpointIntervalMs", checkpointIntervalMs);
        KafkaSettings.oneOf("pipeline.stateBackend", stateBackend, Set.of("hashmap", "rocksdb"));
        Check.atLeast("pipeline.maxOutOfOrdernessMs", maxOutOfOrdernessMs, 0);
        Check.positive("pipeline.nodeIdleMs", nodeIdleMs);
    }
}
