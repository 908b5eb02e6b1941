package dev.ringfence.sinks.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped Kibana objects are well formed: valid lines, embedded JSON that parses, references that resolve. */
class SavedObjectsTest {
    @Test
    void everyLineIsASavedObjectWithAUniqueIdTypeAndTitle() throws Exception {
        SavedObjects objects = SavedObjects.load();
        assertThat(objects.all()).isNotEmpty();
        Set<String> ids = new HashSet<>();
        for (JsonNode object : objects.all()) {
            assertThat(object.path("id").asText()).isNotBlank();
            assertThat(ids.add(object.path("id").asText())).as("unique id " + object.path("id")).isTrue();
            assertThat(object.path("type").asText()).isIn("index-pattern", "visualization", "search", "dashboard");
            assertThat(object.at("/attributes/title").asText()).isNotBlank();
        }
        assertThat(objects.ofType("index-pattern")).extracting(view -> view.at("/attributes/title").asText())
                .containsExactlyInAnyOrder("ringfence-alerts-*", "logs-ringfence.audit-*", "ringfence-service-graph-*");
    }

    @Test
    void everyEmbeddedJsonDocumentParses() throws Exception {
        SavedObjects objects = SavedObjects.load();
        for (JsonNode object : objects.all()) {
            for (String pointer : List.of("/attributes/visState", "/attributes/uiStateJSON", "/attributes/panelsJSON",
                    "/attributes/optionsJSON", "/attributes/kibanaSavedObjectMeta/searchSourceJSON")) {
                if (object.at(pointer).isTextual()) {
                    assertThat(SavedObjects.embedded(object, pointer)).as(object.path("id") + pointer).isNotNull();
                }
            }
        }
        JsonNode serviceMap = objects.byId().get("ringfence-service-map");
        JsonNode vega = SavedObjects.JSON.readTree(SavedObjects.embedded(serviceMap, "/attributes/visState").at("/params/spec").asText());
        assertThat(vega.path("marks")).isNotEmpty();
    }

    @Test
    void everyReferenceAndDashboardPanelResolves() throws Exception {
        SavedObjects objects = SavedObjects.load();
        Map<String, JsonNode> byId = objects.byId();
        for (JsonNode object : objects.all()) {
            for (JsonNode reference : object.path("references")) {
                JsonNode target = byId.get(reference.path("id").asText());
                assertThat(target).as(object.path("id") + " -> " + reference.path("id")).isNotNull();
                assertThat(target.path("type").asText()).isEqualTo(reference.path("type").asText());
            }
        }
        JsonNode dashboard = byId.get("ringfence-overview");
        Set<String> referenceNames = new HashSet<>();
        dashboard.path("references").forEach(reference -> referenceNames.add(reference.path("name").asText()));
        JsonNode panels = SavedObjects.embedded(dashboard, "/attributes/panelsJSON");
        assertThat(panels).hasSize(dashboard.path("references").size());
        for (JsonNode panel : panels) {
            String index = panel.path("panelIndex").asText();
            assertThat(referenceNames).contains(index + ":" + panel.path("panelRefName").asText());
            assertThat(panel.at("/gridData/i").asText()).isEqualTo(index);
        }
        assertThat(SavedObjects.referencedIds(dashboard)).containsAll(objects.ofType("visualization").stream()
                .map(visualization -> visualization.path("id").asText()).toList());
    }

    @Test
    void visualizationsReadFieldsTheSinkWrites() throws Exception {
        List<SavedObjects.FieldUse> uses = SavedObjects.load().fieldUses();
        assertThat(uses).extracting(SavedObjects.FieldUse::field)
                .contains("@timestamp", "threat.technique.id", "ringfence.alert.severity", "ringfence.workload.key",
                        "event.outcome", "ringfence.destination_workload.key", "ringfence.edge.connections", "ringfence.storyline.exec_ids");
        assertThat(uses).allSatisfy(use -> assertThat(use.indexPattern()).isNotNull());
    }
}
