package dev.ringfence.jobs.scenario;

import dev.ringfence.jobs.config.JobConfig;
import java.util.List;

/** Settings scaled to scripted scenarios: 30 s learning windows instead of an hour. */
public final class TestConfigs {
    public static final long LEARNING_MS = 30_000;

    private TestConfigs() {}

    public static JobConfig scenario(String bootstrapServers) {
        JobConfig config = JobConfig.defaults(bootstrapServers);
        config.detectors.newEdge.learningWindowMs = LEARNING_MS;
        config.detectors.unexpectedExec.learningWindowMs = LEARNING_MS;
        config.detectors.exfiltration.learningWindowMs = LEARNING_MS;
        // the database pod may dump itself: declared, not learned
        config.detectors.unexpectedExec.declared.put("shop/StatefulSet/postgres",
                List.of("/usr/lib/postgresql/16/bin/pg_dump"));
        config.pipeline.checkpointIntervalMs = 1_000L;
        return config.validate();
    }

    public static JobConfig harness() {
        return scenario("localhost:9092");
    }
}
