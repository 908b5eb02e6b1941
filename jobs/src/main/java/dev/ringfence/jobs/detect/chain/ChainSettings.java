package dev.ringfence.jobs.detect.chain;

import dev.ringfence.jobs.config.Check;
import java.io.Serializable;

/** Remote-exec chain (RF-CHAIN-001): inbound connection to a server, then a suspicious descendant of it. */
public final class ChainSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean enabled = true;
    /** The suspicious exec must start within this time after the inbound connection (event time; their reports
     * may arrive in either order). */
    public long windowMs = 60_000;
    /** How many generations below the server the suspicious exec may be (server -> sh -c -> bash is 2). */
    public int maxDepth = 3;
    /** A storyline stops growing after this long without a new step. */
    public long storylineIdleMs = 600_000;
    /** Steps kept in one storyline; later steps only count. */
    public int maxSteps = 50;

    public void validate() {
        Check.positive("detectors.remoteExec.windowMs", windowMs);
        Check.positive("detectors.remoteExec.maxDepth", maxDepth);
        Check.positive("detectors.remoteExec.storylineIdleMs", storylineIdleMs);
        Check.positive("detectors.remoteExec.maxSteps", maxSteps);
    }
}
