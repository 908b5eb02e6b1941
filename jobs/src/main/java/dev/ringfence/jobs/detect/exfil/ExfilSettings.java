package dev.ringfence.jobs.detect.exfil;

import dev.ringfence.jobs.config.Check;
import java.io.Serializable;

/** Exfiltration (RF-EXFIL-001): egress volume of a process outside the cluster, or to a never-seen destination. */
public final class ExfilSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean enabled = true;
    /** Sliding window of one process's egress bytes. */
    public long windowMs = 60_000;
    /** Granularity of the sliding window: windowMs must be a multiple. */
    public long bucketMs = 5_000;
    public long bytesThreshold = 50L * 1024 * 1024;
    /** Bytes to a destination the workload never used (after learning) that raise an alert. */
    public long newDestinationMinBytes = 1024 * 1024;
    /** Event time from a workload's first egress until its destination set is complete. */
    public long learningWindowMs = 3_600_000;
    public long destinationTtlMs = 30L * 24 * 3_600_000;

    public void validate() {
        Check.positive("detectors.exfiltration.windowMs", windowMs);
        Check.positive("detectors.exfiltration.bucketMs", bucketMs);
        if (windowMs % bucketMs != 0 || windowMs / bucketMs > 1_000) {
            throw new dev.ringfence.jobs.config.InvalidConfigException(
                    "detectors.exfiltration.windowMs must be a multiple of bucketMs, at most 1000 buckets");
        }
        Check.positive("detectors.exfiltration.bytesThreshold", bytesThreshold);
        Check.positive("detectors.exfiltration.newDestinationMinBytes", newDestinationMinBytes);
        Check.positive("detectors.exfiltration.learningWindowMs", learningWindowMs);
        Check.positive("detectors.exfiltration.destinationTtlMs", destinationTtlMs);
    }
}
