package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UpOptionsTest {

    @Test
    void defaultsAreTheEmbeddedBrokerOnAFixedPort() {
        UpOptions options = UpOptions.parse(new String[0]);
        assertThat(options.externalKafka()).isNull();
        assertThat(options.kafkaPort()).isEqualTo(19092);
        assertThat(options.stateDir()).isEqualTo(Path.of(".ringfence", "state"));
    }

    @Test
    void anExternalClusterIsNamedByHostAndPort() {
        assertThat(UpOptions.parse(new String[] {"--kafka", "kafka-0.kafka:9092,kafka-1.kafka:9092"}).externalKafka())
                .isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--kafka", "localhost"}))
                .hasMessageContaining("--kafka wants HOST:PORT");
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--kafka-port", "70000"}))
                .hasMessageContaining("0..65535, got '70000'");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--state-dir"}))
                .hasMessageContaining("--state-dir needs a value");
        assertThatThrownBy(() -> UpOptions.parse(new String[] {"--enforce-everything"}))
                .hasMessageContaining("unknown option '--enforce-everything'");
    }
}
