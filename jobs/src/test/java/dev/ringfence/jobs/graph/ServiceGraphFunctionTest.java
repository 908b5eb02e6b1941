package dev.ringfence.jobs.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.ServiceEdge;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ServiceGraphFunctionTest {
    @Test
    void aNewEdgeIsPublishedAtOnceThenItsCountsAtMostOncePerInterval() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 20_000);
        List<EdgeReport> edges = Replay.lineage(TestConfigs.harness(), shop.script.events()).stream()
                .filter(ServiceGraphFunction::isEdge)
                .map(EdgeReport::of)
                .filter(report -> report.edgeId().equals("shop/Deployment/frontend|shop/Deployment/api|TCP|8080"))
                .toList();
        try (var harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ServiceGraphFunction(10_000),
                EdgeReport::edgeId, Types.STRING)) {
            harness.setProcessingTime(0);
            harness.processElement(edges.getFirst(), 0);
            assertThat(harness.extractOutputValues()).hasSize(1);
            for (EdgeReport edge : edges.subList(1, edges.size())) {
                harness.processElement(edge, 0);
            }
            assertThat(harness.extractOutputValues()).hasSize(1);
            harness.setProcessingTime(10_000);

            List<ServiceEdge> published = harness.extractOutputValues();
            assertThat(published).hasSize(2);
            ServiceEdge latest = published.getLast();
            assertThat(latest.getConnections()).isEqualTo(edges.size());
            assertThat(latest.getBytesSent()).isEqualTo(800L * edges.size());
            assertThat(latest.getFailedConnections()).isZero();
            assertThat(latest.getLastSeenNs()).isEqualTo(edges.getLast().timeNs);
        }
    }
}
