package dev.ringfence.allinone.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.allinone.live.PipelineStatus;
import dev.ringfence.allinone.live.Records;
import dev.ringfence.contract.DecisionAction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LiveViewTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void aTerminalGetsOneColouredLinePerAlertAndDecision() {
        LiveView view = new LiveView(out, false, true);
        view.alert(Records.alert("a1", 2));
        view.decision(Records.decision("d1", DecisionAction.ISOLATE_WORKLOAD, 900_000, true));

        String[] lines = text().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("\u001b[31m").contains("ALERT", "HIGH", "RF-SCAN-001 r2 probed 21 internal endpoints");
        assertThat(lines[1]).startsWith("\u001b[36m").contains("DECISION dry-run", "ISOLATE_WORKLOAD", "id d1");
    }

    @Test
    void aPipeGetsPlainLines() {
        new LiveView(out, false, false).alert(Records.alert("a1", 1));
        assertThat(text()).doesNotContain("\u001b").contains("ALERT");
    }

    @Test
    void jsonIsOneObjectPerLineWithTheSameFacts() throws Exception {
        LiveView view = new LiveView(out, true, true);
        view.alert(Records.alert("a1", 3));
        view.status(new PipelineStatus.Snapshot(120, 12.34, 2, 0, 1, 1, 1, 1, 0), 1_700_000_000_000_000_000L);

        String[] lines = text().split("\n");
        assertThat(text()).as("no colour in JSON").doesNotContain("\u001b");
        JsonNode alert = new ObjectMapper().readTree(lines[0]);
        assertThat(alert.path("type").asText()).isEqualTo("alert");
        assertThat(alert.path("alert_id").asText()).isEqualTo("a1");
        assertThat(alert.path("revision").asInt()).isEqualTo(3);
        JsonNode status = new ObjectMapper().readTree(lines[1]);
        assertThat(status.path("type").asText()).isEqualTo("status");
        assertThat(status.path("events").asLong()).isEqualTo(120);
        assertThat(status.path("events_per_s").asDouble()).isEqualTo(12.3);
        assertThat(status.path("lost_events").asLong()).isEqualTo(2);
        assertThat(status.path("time").asText()).isEqualTo("2023-11-14T22:13:20Z");
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
