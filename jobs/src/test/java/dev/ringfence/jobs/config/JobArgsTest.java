package dev.ringfence.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobArgsTest {
    @TempDir
    Path dir;

    @Test
    void theExampleConfigAndPolicyLoad() {
        JobConfig config = JobArgs.parse("--kafka", "localhost:9092", "--config", "examples/job-config.json",
                "--policy", "examples/response-policy.yaml", "--parallelism", "3", "--checkpoint-dir", dir.toString());
        assertThat(config.kafka.bootstrapServers).isEqualTo("localhost:9092");
        assertThat(config.pipeline.parallelism).isEqualTo(3);
        assertThat(config.pipeline.stateBackend).isEqualTo("rocksdb");
        assertThat(config.pipeline.checkpointDir).startsWith("file:");
        assertThat(config.lineage.clusterCidrs).containsExactly("10.0.0.0/8");
        assertThat(config.detectors.unexpectedExec.declared).containsKey("shop/StatefulSet/postgres");
        assertThat(config.policy.metadata.name).isEqualTo("shop");
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        assertThatThrownBy(JobArgs::parse).hasMessageStartingWith("--kafka is required");
        assertThatThrownBy(() -> JobArgs.parse("--kafka")).hasMessageStartingWith("--kafka needs a value");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "nohost")).hasMessageContaining("'nohost' is not HOST:PORT");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--workers", "2"))
                .hasMessageStartingWith("unknown option '--workers'");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--parallelism", "two"))
                .hasMessageContaining("--parallelism must be a whole number");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--parallelism", "0"))
                .hasMessageContaining("pipeline.parallelism must be > 0");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config", "missing.json"))
                .hasMessageContaining("missing.json: no such file");
    }

    @Test
    void configFilesAreStrict() throws Exception {
        Path unknown = Files.writeString(dir.resolve("c.json"), "{\"detectors\": {\"scan\": {\"treshold\": 5}}}");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config", unknown.toString()))
                .hasMessageContaining("unknown key 'treshold' at detectors.scan.treshold");
        Path badCidr = Files.writeString(dir.resolve("d.yaml"), "lineage:\n  clusterCidrs: [10.0.0.0/33]\n");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config", badCidr.toString()))
                .hasMessageContaining("lineage.clusterCidrs").hasMessageContaining("bad prefix length");
        Path badBackend = Files.writeString(dir.resolve("e.yaml"), "pipeline:\n  stateBackend: memory\n");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config", badBackend.toString()))
                .hasMessageContaining("pipeline.stateBackend must be one of");
        Path badWindow = Files.writeString(dir.resolve("f.yaml"), "detectors:\n  exfiltration:\n    bucketMs: 7000\n");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config", badWindow.toString()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("multiple of bucketMs");
    }
}
