package dev.ringfence.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

class SinkApplicationTest {
    @Test
    void onAClusterTheJobLeavesCheckpointStorageToTheClusterAndBuildsTheSamePipeline() {
        SinkConfig config = SinkArguments.parse("--kafka", "kafka:9093", "--elasticsearch", "https://es:9200",
                "--checkpoint-interval-ms", "7000");
        Configuration job = SinkApplication.jobConfiguration(config);
        assertThat(job.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(7));
        assertThat(job.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).as("the FlinkDeployment's durable storage wins").isFalse();
        assertThat(job.contains(CoreOptions.TMP_DIRS)).isFalse();
        // the local cluster's configuration, by contrast, points checkpoints at the work directory
        assertThat(SinkJob.flinkConfiguration(config).contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isTrue();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(job);
        SinkJob.buildPipeline(env, config);
        StreamGraph graph = env.getStreamGraph();
        List<String> names = graph.getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
        assertThat(names).anyMatch(name -> name.contains("kafka-alerts-audit-service-graph"))
                .anyMatch(name -> name.contains("elasticsearch"));
        assertThat(graph.getStreamNodes().stream().map(StreamNode::getTransformationUID).toList())
                .as("uids keep savepoints valid across upgrades").contains("kafka-alerts-and-audit", "elasticsearch");
    }
}
