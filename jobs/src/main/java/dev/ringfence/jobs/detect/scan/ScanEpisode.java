package dev.ringfence.jobs.detect.scan;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.StorylineStep;

/** A workload's current scan: the open alert, and the probes not yet in its storyline. */
public final class ScanEpisode {
    public Alert alert;
    public int peersAtRevision;
    /** Event time of the latest probe: a gap longer than the window ends the episode. */
    public long lastProbeMs;
    /** Most recent probes, oldest first, bounded: the evidence the next revision shows. */
    public StorylineStep[] recentProbes = new StorylineStep[0];
}
