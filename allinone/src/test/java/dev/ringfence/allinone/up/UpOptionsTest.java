package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpOptionsTest {

    @Test
    void defaultsAreTheEmbeddedBrokerOnAFixedPortInObserveModeWithoutElasticsearch() {
        UpOptions options = UpOptions.parse(new String[0], null);
        assertThat(options.externalKafka()).isNull();
        assertThat(options.kafkaPort()).isEqualTo(19092);
        assertThat(options.feedbackPort()).isEqualTo(7443);
        assertThat(options.stateDir()).isEqualTo(Path.of(".ringfence", "state"));
        assertThat(options.enforce()).isFalse();
        assertThat(options.policyFile()).isNull();
        assertThat(options.elasticsearch()).isNull();
        assertThat(options.statusInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.json()).isFalse();
    }

    @Test
    void theStateDirectoryEveryCommandSharesComesFromTheEnvironmentUnlessGiven() {
        assertThat(UpOptions.parse(new String[0], "/var/lib/ringfence").stateDir()).isEqualTo(Path.of("/var/lib/ringfence"));
        assertThat(UpOptions.parse(new String[] {"--state-dir", "/tmp/s"}, "/var/lib/ringfence").stateDir())
                .isEqualTo(Path.of("/tmp/s"));
    }

    @Test
    void anExternalClusterIsNamedByHostAndPort() {
        assertThat(UpOptions.parse(new String[] {"--kafka", "kafka-0.kafka:9092,kafka-1.kafka:9092"}).externalKafka())
                .isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--kafka", "localhost"}))
                .hasMessageContaining("--kafka wants HOST:PORT");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--kafka", "k:9092", "--kafka-port", "0"}))
                .hasMessageContaining("--kafka-port is the embedded broker's port");
    }

    @Test
    void elasticsearchIsEmbeddedWithoutAUrlAndAnyHttpUrlOtherwise() {
        assertThat(UpOptions.parse(new String[] {"--elasticsearch"}).elasticsearch()).isEqualTo(UpOptions.EMBEDDED_ELASTICSEARCH);
        assertThat(UpOptions.parse(new String[] {"--elasticsearch", "--json"}).elasticsearch())
                .isEqualTo(UpOptions.EMBEDDED_ELASTICSEARCH);
        assertThat(UpOptions.parse(new String[] {"--elasticsearch", "https://es.example:9200"}).elasticsearch())
                .isEqualTo("https://es.example:9200");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--elasticsearch", "es.example:9200"}))
                .hasMessageContaining("--elasticsearch wants nothing (embedded node) or an http(s)://HOST:PORT URL, got 'es.example:9200'");
    }

    @Test
    void enforceAndPolicyAreExclusiveAndGivenFilesMustExist(@TempDir Path dir) throws Exception {
        assertThat(UpOptions.parse(new String[] {"--enforce"}).enforce()).isTrue();
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "kind: ResponsePolicy\n");
        assertThat(UpOptions.parse(new String[] {"--policy", policy.toString()}).policyFile()).isEqualTo(policy);
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--policy", dir.resolve("nope.yaml").toString()}))
                .hasMessageContaining("--policy: no such file");
        assertThat(UpOptions.parse(new String[] {"--job-config", policy.toString()}).jobConfig()).isEqualTo(policy);
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--job-config", dir.toString()}))
                .hasMessageContaining("--job-config: no such file");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--enforce", "--policy", policy.toString()}))
                .hasMessageContaining("set 'mode: enforce' in the file instead");
    }

    @Test
    void aFlinkClusterIsNamedByTheHostAndPortOfItsRestEndpoint() {
        assertThat(UpOptions.parse(new String[0], null).flink()).as("in-process by default").isNull();
        UpOptions options = UpOptions.parse(new String[] {"--flink", "jobmanager.flink:8081"}, null);
        assertThat(options.flink()).isEqualTo("jobmanager.flink:8081");
        assertThat(options.flinkHost()).isEqualTo("jobmanager.flink");
        assertThat(options.flinkPort()).isEqualTo(8081);
        UpOptions ipv6 = UpOptions.parse(new String[] {"--flink", "[::1]:18081"}, null);
        assertThat(ipv6.flinkHost()).isEqualTo("::1");
        assertThat(ipv6.flinkPort()).isEqualTo(18081);
        for (String bad : new String[] {"http://jobmanager:8081", "jobmanager", "jobmanager:0", "jobmanager:70000",
                "a:1,b:2", "::1:8081"}) {
            assertThatThrownBy(() -> UpOptions.parse(new String[] {"--flink", bad}, null)).as(bad)
                    .hasMessage("--flink wants HOST:PORT of the Flink cluster's REST endpoint (e.g. jobmanager:8081), got '"
                            + bad + "'");
        }
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--flink"}, null)).hasMessageContaining("--flink needs a value");
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--kafka-port", "70000"}))
                .hasMessageContaining("--kafka-port wants a port number 0..65535, got '70000'");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--feedback-port", "-1"}))
                .hasMessageContaining("--feedback-port wants a port number 0..65535, got '-1'");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--status-every", "0"}))
                .hasMessageContaining("--status-every wants whole seconds 1..3600, got '0'");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--status-every", "2s"}))
                .hasMessageContaining("got '2s'");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--state-dir"}))
                .hasMessageContaining("--state-dir needs a value");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--enforce-everything"}))
                .hasMessageContaining("unknown option '--enforce-everything'");
    }
}
