package dev.ringfence.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.jobs.scenario.TestConfigs;
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
}
