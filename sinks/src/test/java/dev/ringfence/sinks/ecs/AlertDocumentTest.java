package dev.ringfence.sinks.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Severity;
import dev.ringfence.sinks.Samples;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertDocumentTest {
    private final Alert alert = Samples.alert("a-1", 2, "T1059", Severity.HIGH, "payments", Samples.FIRST_SEEN);

    @Test
    void mapsAnAlertToEcsFields() {
        Map<String, Object> document = AlertDocument.of(alert);
        assertThat(at(document, "@timestamp")).isEqualTo("2026-11-20T10:15:30.123456789Z");
        assertThat(at(document, "event.kind")).isEqualTo("alert");
        assertThat(at(document, "event.severity")).isEqualTo(73L);
        assertThat(at(document, "rule.id")).isEqualTo("ringfence.reverse-shell");
        assertThat(at(document, "threat.technique.id")).isEqualTo(List.of("T1059"));
        assertThat(at(document, "process.entity_id")).isEqualTo("a-1:nc");
        assertThat(at(document, "process.name")).isEqualTo("nc");
        assertThat(at(document, "process.parent.executable")).isEqualTo("/bin/sh");
        assertThat(at(document, "source.ip")).isEqualTo("10.42.0.17");
        assertThat(at(document, "destination.port")).isEqualTo(4444L);
        assertThat(at(document, "orchestrator.type")).isEqualTo("kubernetes");
        assertThat(at(document, "orchestrator.namespace")).isEqualTo("shop");
        assertThat(at(document, "kubernetes.pod.labels")).isEqualTo(Map.of("app", "payments", "app.kubernetes.io/part-of", "shop"));
        assertThat(at(document, "ringfence.alert.revision")).isEqualTo(2L);
        assertThat(at(document, "ringfence.destination_workload.key")).isEqualTo("shop/Deployment/ledger");
        assertThat((List<?>) at(document, "ringfence.storyline.steps")).hasSize(3);
        assertThat((List<?>) at(document, "ringfence.ancestry")).hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStorylineExecIdsIncludeEveryProcessOfTheAlert() {
        Alert withoutList = Alert.newBuilder(alert).setStorylineExecIds(List.of()).build();
        assertThat((List<Object>) at(AlertDocument.of(withoutList), "ringfence.storyline.exec_ids"))
                .containsExactlyInAnyOrder("a-1:java", "a-1:shell", "a-1:nc");
    }

    @Test
    void refusesAlertsThatCannotBeDocuments() {
        assertThatThrownBy(() -> AlertDocument.of(Alert.newBuilder(alert).setRevision(0).build()))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("revision 0");
        assertThatThrownBy(() -> AlertDocument.of(Alert.newBuilder(alert).setRiskScore(101).build()))
                .hasMessageContaining("risk_score 101");
        assertThatThrownBy(() -> AlertDocument.of(Alert.newBuilder(alert).setAlertId(" ").build()))
                .hasMessageContaining("alert_id is blank");
        assertThatThrownBy(() -> AlertDocument.of(Alert.newBuilder(alert).setFirstSeenNs(-5).build()))
                .hasMessageContaining("first_seen_ns = -5 ns");
        assertThatThrownBy(() -> AlertDocument.of(Alert.newBuilder(alert).setLastSeenNs(alert.getFirstSeenNs() - 1).build()))
                .hasMessageContaining("first_seen_ns is after last_seen_ns");
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> document, String path) {
        Object node = document;
        for (String segment : path.split("\\.")) {
            node = ((Map<String, Object>) node).get(segment);
        }
        return node;
    }
}
