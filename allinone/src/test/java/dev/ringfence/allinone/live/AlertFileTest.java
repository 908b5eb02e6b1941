package dev.ringfence.allinone.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRevisionIsAppendedAsOneEcsDocumentPerLineAndAnInvalidAlertIsSkipped(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("state/alerts.ecs.ndjson");
        try (AlertFile file = new AlertFile(path)) {
            file.alert(Records.alert("a1", 1));
            file.alert(Records.alert("a1", 0)); // revision 0 is not a valid alert: logged, not written
            file.alert(Records.alert("a1", 2));
            assertThat(Files.readAllLines(path)).as("flushed at once, for a tailing SIEM agent").hasSize(2);
        }
        try (AlertFile reopened = new AlertFile(path)) {
            reopened.alert(Records.alert("a2", 1));
        }

        List<String> lines = Files.readAllLines(path);
        assertThat(lines).as("appended across runs").hasSize(3);
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("event").path("id").asText()).isEqualTo("a1");
        assertThat(second.path("event").path("kind").asText()).isEqualTo("alert");
        assertThat(second.path("rule").path("id").asText()).isEqualTo("RF-SCAN-001");
        assertThat(second.path("ringfence").path("alert").path("revision").asLong()).isEqualTo(2);
        assertThat(second.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20Z");
    }
}
