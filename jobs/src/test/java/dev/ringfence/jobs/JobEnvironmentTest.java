package dev.ringfence.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class JobEnvironmentTest {
    @Test
    void theEnvironmentReusesObjectsAndRefusesKryo() {
        StreamExecutionEnvironment env = JobEnvironment.environment(
                JobEnvironment.flinkConfiguration(TestConfigs.harness()), true);
        assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        assertThat(env.getParallelism()).isEqualTo(1);
    }

    @Test
    void checkpointsAreFrequentWhereTheyGateVisibilityAndRareWhereTheyOnlyBoundReplay() {
        JobConfig atLeastOnce = JobConfig.defaults("localhost:9092");
        assertThat(JobEnvironment.flinkConfiguration(atLeastOnce).get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(30));

        JobConfig exactlyOnce = JobConfig.defaults("localhost:9092");
        exactlyOnce.kafka.delivery = "exactly-once";
        assertThat(JobEnvironment.flinkConfiguration(exactlyOnce).get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .as("exactly-once alerts and decisions become visible when their checkpoint completes")
                .isEqualTo(Duration.ofSeconds(5));

        exactlyOnce.pipeline.checkpointIntervalMs = 2_000L;
        assertThat(JobEnvironment.flinkConfiguration(exactlyOnce).get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .as("a configured interval wins").isEqualTo(Duration.ofSeconds(2));
    }
}
