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
    void checkpointDirTakesAPathOrAFileSystemUri() {
        assertThat(JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "s3://ringfence-flink/checkpoints").pipeline.checkpointDir)
                .isEqualTo("s3://ringfence-flink/checkpoints");
        assertThat(JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "file:///var/lib/checkpoints").pipeline.checkpointDir)
                .isEqualTo("file:///var/lib/checkpoints");
        assertThat(JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "hdfs://namenode:8020/flink").pipeline.checkpointDir)
                .isEqualTo("hdfs://namenode:8020/flink");
        assertThat(JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", dir.toString()).pipeline.checkpointDir)
                .isEqualTo(dir.toUri().toString());
        assertThat(JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "relative/cp").pipeline.checkpointDir)
                .isEqualTo(Path.of("relative/cp").toAbsolutePath().toUri().toString());
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "s3:///checkpoints"))
                .hasMessageContaining("needs a bucket or host");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "s3:bucket"))
                .hasMessageContaining("needs a bucket or host");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "s3://bucket/a b"))
                .hasMessageContaining("is not a URI");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "file:relative"))
                .hasMessageContaining("absolute file URI");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "file://otherhost/cp"))
                .hasMessageContaining("a file: URI is local");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--checkpoint-dir", "s3://bucket/cp?x=1"))
                .hasMessageContaining("query or fragment");
    }

    @Test
    void checkpointDirInTheConfigFileMustBeAUri() throws Exception {
        Path s3 = Files.writeString(dir.resolve("s3.yaml"), "pipeline:\n  checkpointDir: s3://ringfence-flink/checkpoints\n");
        assertThat(JobArgs.parse("--kafka", "h:1", "--config", s3.toString()).pipeline.checkpointDir)
                .isEqualTo("s3://ringfence-flink/checkpoints");
        Path path = Files.writeString(dir.resolve("path.yaml"), "pipeline:\n  checkpointDir: /var/checkpoints\n");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config", path.toString()))
                .hasMessageContaining("pipeline.checkpointDir must be a file system URI");
    }

    @Test
    void kafkaConfigFileGivesTheClientsTheirSecuritySettings() throws Exception {
        Path trust = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path tls = Files.writeString(dir.resolve("kafka.properties"),
                "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=" + trust + "\n");
        JobConfig config = JobArgs.parse("--kafka", "h:9093", "--kafka-config", tls.toString());
        assertThat(config.kafka.securitySettings()).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", trust.toString());
        assertThat(config.kafka.securityProperties()).containsEntry("ssl.truststore.type", "PEM");
        assertThat(JobArgs.parse("--kafka", "h:1").kafka.securitySettings()).isEmpty();

        Path group = Files.writeString(dir.resolve("group.properties"), "group.id=elsewhere\n");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--kafka-config", group.toString()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("'group.id' is not a security setting");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--kafka-config", dir.resolve("none").toString()))
                .hasMessageContaining("--kafka-config").hasMessageContaining("no such readable file");
        Path yaml = Files.writeString(dir.resolve("security.yaml"), "kafka:\n  security:\n    security.protocol: SSL\n");
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config", yaml.toString()))
                .as("security settings come from --kafka-config only").hasMessageContaining("unknown key 'security'");
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
        assertThatThrownBy(() -> JobArgs.parse("--kafka", "h:1", "--config",
                Files.writeString(dir.resolve("interval.yaml"), "pipeline:\n  checkpointIntervalMs: 0\n").toString()))
                .hasMessageContaining("pipeline.checkpointIntervalMs must be > 0");
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
