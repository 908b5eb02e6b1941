package dev.ringfence.jobs.detect.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.graph.ServiceGraphFunction;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.scenario.EventScript;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

class NewEdgeDetectorTest {
    private final JobConfig config = TestConfigs.harness();

    @Test
    void edgesLearnedInTheWindowNeverAlert() throws Exception {
        List<Observation> observations = Replay.lineage(config,
                new ShopCluster().startup().background(3_200, 120_000).script.events());
        try (var harness = Replay.keyed(new NewEdgeDetector(config.detectors.newEdge), Observation::workloadKey)) {
            assertThat(Replay.run(harness, observations, ServiceGraphFunction::isEdge)).isEmpty();
        }
    }

    @Test
    void anEdgeOutsideACompleteBaselineAlertsOnceAndTheBaselineSurvivesARestart() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 60_000)
                .scan(61_000).background(62_000, 70_000).scan(71_000);
        List<Observation> edges = Replay.lineage(config, shop.script.events()).stream()
                .filter(ServiceGraphFunction::isEdge).toList();
        long learnedEdges = edges.stream().filter(o -> o.timeNs() < EventScript.timeNs(61_000)).count();

        OperatorSubtaskState snapshot;
        try (var harness = Replay.keyed(new NewEdgeDetector(config.detectors.newEdge), Observation::workloadKey)) {
            Replay.run(harness, edges.subList(0, (int) learnedEdges), o -> true);
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = Replay.restored(new NewEdgeDetector(config.detectors.newEdge), Observation::workloadKey,
                snapshot)) {
            List<Alert> alerts = Replay.run(restored, edges.subList((int) learnedEdges, edges.size()), o -> true);

            // the second scan reaches postgres again: the edge is known by then, and the baseline came back
            assertThat(alerts).hasSize(1);
            Alert alert = alerts.getFirst();
            assertThat(alert.getRuleId()).isEqualTo("RF-EDGE-001");
            assertThat(alert.getTechniqueIds()).containsExactly("T1021");
            assertThat(alert.getWorkload().getWorkloadKey()).isEqualTo("shop/Deployment/frontend");
            assertThat(alert.getDestinationWorkload().getWorkloadKey()).isEqualTo("shop/StatefulSet/postgres");
            assertThat(alert.getDestination().getPort()).isEqualTo(5432);
        }
    }
}
