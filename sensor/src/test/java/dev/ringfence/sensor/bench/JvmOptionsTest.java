package dev.ringfence.sensor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {
    @Test
    void skipsCommentsAndBlankLinesAndSplitsWords() {
        assertThat(JvmOptions.parse("# why\n-Xmx32m\n\n  -XX:+UseSerialGC  -Xss512k\n# -Xint\n"))
                .containsExactly("-Xmx32m", "-XX:+UseSerialGC", "-Xss512k");
    }

    @Test
    void missingResourceIsAClearError() {
        assertThatThrownBy(() -> JvmOptions.read("/jvm/nothing.options")).hasMessageContaining("/jvm/nothing.options");
    }

    @Test
    void shippedSensorOptionsBoundTheHeapAndAreAcceptedByThisJvm() throws Exception {
        List<String> options = JvmOptions.read("/jvm/sensor.options");
        assertThat(options).contains("-Xmx32m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");

        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(options);
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor()).as(output).isZero();
    }
}
