package dev.ringfence.jobs.detect.exec;

import dev.ringfence.jobs.config.Check;
import dev.ringfence.jobs.config.InvalidConfigException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Unexpected exec (RF-EXEC-001): a binary outside the workload's learned or declared process set. */
public final class ExecSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean enabled = true;
    /** Event time from a workload's first exec until its process set is complete. */
    public long learningWindowMs = 3_600_000;
    /** Binaries a workload may run besides what it was seen running: workload key -> absolute paths. */
    public Map<String, List<String>> declared = new LinkedHashMap<>();
    /** Learned binaries not run for this long are forgotten (state TTL, processing time). */
    public long learnedTtlMs = 30L * 24 * 3_600_000;
    /** Steps kept in one alert's storyline. */
    public int maxSteps = 50;

    public void validate() {
        Check.positive("detectors.unexpectedExec.learningWindowMs", learningWindowMs);
        Check.positive("detectors.unexpectedExec.learnedTtlMs", learnedTtlMs);
        Check.positive("detectors.unexpectedExec.maxSteps", maxSteps);
        declared.forEach((workload, binaries) -> {
            Check.notBlank("detectors.unexpectedExec.declared key", workload);
            for (String binary : binaries == null ? List.<String>of() : binaries) {
                if (binary == null || !binary.startsWith("/")) {
                    throw new InvalidConfigException("detectors.unexpectedExec.declared." + workload
                            + ": '" + binary + "' is not an absolute path");
                }
            }
        });
    }
}
