package dev.ringfence.jobs.detect.edge;

import dev.ringfence.jobs.config.Check;
import java.io.Serializable;

/** New east-west edge (RF-EDGE-001): an edge outside the learned baseline of a source workload. */
public final class EdgeSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean enabled = true;
    /** Event time from a workload's first edge until its baseline is complete. */
    public long learningWindowMs = 3_600_000;
    /** New edges of one workload within this gap grow one alert instead of opening another. */
    public long storylineGapMs = 600_000;
    /** A baseline edge not seen for this long is forgotten (state TTL, processing time). */
    public long baselineTtlMs = 30L * 24 * 3_600_000;

    public void validate() {
        Check.positive("detectors.newEdge.learningWindowMs", learningWindowMs);
        Check.positive("detectors.newEdge.storylineGapMs", storylineGapMs);
        Check.positive("detectors.newEdge.baselineTtlMs", baselineTtlMs);
    }
}
