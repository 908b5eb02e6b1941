package dev.ringfence.allinone.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {
    @Test
    void runsEveryScenarioByDefaultInAnOrderWhereNoContainmentHidesTheNext() {
        DemoOptions options = DemoOptions.parse(new String[0], "/tmp/rf");
        assertThat(options.command()).isEqualTo("run");
        assertThat(options.scenarios()).containsExactly("shell", "chain", "exfil", "scan");
        assertThat(options.observe()).isFalse();
        assertThat(options.demoDir()).isEqualTo(Path.of("/tmp/rf/demo").toAbsolutePath());
    }

    @Test
    void parsesEachSubcommand() {
        DemoOptions one = DemoOptions.parse(new String[] {"--scenario", "exfil", "--observe", "--summary-json", "s.json"}, null);
        assertThat(one.scenarios()).containsExactly("exfil");
        assertThat(one.observe()).isTrue();
        assertThat(one.summaryJson()).isEqualTo(Path.of("s.json"));
        assertThat(DemoOptions.parse(new String[] {"up", "--observe"}, null).command()).isEqualTo("up");
        DemoOptions exec = DemoOptions.parse(new String[] {"exec", "shop/api", "--", "sh", "-c", "id --help"}, null);
        assertThat(exec.target()).isEqualTo("shop/api");
        assertThat(exec.execCommand()).containsExactly("sh", "-c", "id --help");
        assertThat(DemoOptions.parse(new String[] {"alerts", "--json"}, null).json()).isTrue();
        assertThat(DemoOptions.parse(new String[] {"down"}, null).command()).isEqualTo("down");
    }

    @Test
    void refusesWhatItCannotDoAndSaysWhatToTypeInstead() {
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--scenario", "ddos"}, null)).hasMessageContaining("shell, chain, exfil, scan");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--scenario"}, null)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"start"}, null)).hasMessageContaining("unknown subcommand 'start'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"exec", "api", "--", "id"}, null)).hasMessageContaining("NAMESPACE/POD");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"exec", "shop/api", "id"}, null)).hasMessageContaining("after --");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"alerts", "--observe"}, null)).hasMessageContaining("does not go with 'demo alerts'");
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--verbose"}, null)).hasMessageContaining("unknown option '--verbose'");
    }

    @Test
    void badArgumentsExit2WithTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Demo.run(new String[] {"--scenario", "nope"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scenario 'nope'").contains("usage: ringfence demo");
    }

    @Test
    void theSummaryHasTheKeysTheIssueNames() throws Exception {
        var result = new Scenarios.Result("shell", true, List.of("RF-EXEC-001"), true, "exit 137", 12.5, 0, 1, List.of("a"), List.of(),
                new ContainmentPath(5.0, 3.0, 4.0, 0.5));
        String json = Demo.summaryJson(List.of(result), java.util.Map.of("benign_alerts", 0L, "benign_enforcements", 0L));
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        var scenario = tree.path("scenarios").get(0);
        assertThat(scenario.path("name").asText()).isEqualTo("shell");
        assertThat(scenario.path("detected").isBoolean()).isTrue();
        assertThat(scenario.path("contained").isBoolean()).isTrue();
        assertThat(scenario.path("rule_ids").get(0).asText()).isEqualTo("RF-EXEC-001");
        assertThat(scenario.path("enforcement").asText()).isEqualTo("exit 137");
        assertThat(scenario.path("containment_latency_ms").asDouble()).isEqualTo(12.5);
        assertThat(scenario.path("containment_path_ms").path("feedback_to_sensor").asDouble()).isEqualTo(4.0);
        assertThat(tree.path("benign_alerts").asLong(-1)).isZero();
        assertThat(tree.path("benign_enforcements").asLong(-1)).isZero();
    }
}
