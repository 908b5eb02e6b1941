package dev.ringfence.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.FlowEnd;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineageFunctionTest {
    private final JobConfig config = TestConfigs.harness();

    @Test
    void execCarriesItsAncestryNearestFirst() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 20_000);
        List<Observation> observations = Replay.lineage(config, shop.script.events());

        Observation report = observations.stream()
                .filter(o -> o.exec() != null && o.process.getBinary().equals("/usr/local/bin/report"))
                .findFirst().orElseThrow();
        assertThat(Arrays.stream(report.ancestry).map(ProcessRef::getBinary))
                .containsExactly("/bin/sh", "/usr/sbin/cron");
        assertThat(report.workloadKey()).isEqualTo("ops/CronJob/report");
    }

    @Test
    void pidReuseDoesNotMixUpProcesses() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        Proc shell = shop.remoteExec(10_000);
        List<Observation> observations = Replay.lineage(config, shop.script.events());

        Observation curl = observations.stream()
                .filter(o -> o.exec() != null && o.process.getBinary().equals("/usr/bin/curl"))
                .findFirst().orElseThrow();
        // the shell reused the pid of the exited migrate process: the exec id keeps them apart
        assertThat(curl.ancestry[0].getExecId()).isEqualTo(shell.execId());
        assertThat(curl.ancestry[0].getBinary()).isEqualTo("/bin/sh");
        assertThat(curl.ancestry[1].getBinary()).isEqualTo("/usr/local/bin/api-server");
    }

    @Test
    void flowsAreAttributedAndTheRemoteIpResolvesAsOfTheFlowTime() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 6_000);
        List<Observation> observations = Replay.lineage(config, shop.script.events());

        List<Observation> acceptedByApi = observations.stream()
                .filter(o -> o.flow() != null && o.flow().getDirection() == FlowDirection.INBOUND
                        && o.flow().getRemote().getIp().equals("10.1.0.10"))
                .toList();
        // 10.1.0.10 belonged to the old batch pod at 1 s, to the frontend from 3 s on
        assertThat(acceptedByApi.getFirst().remoteWorkloadKey()).isEqualTo("ops/Deployment/old-batch");
        assertThat(acceptedByApi.getLast().remoteWorkloadKey()).isEqualTo("shop/Deployment/frontend");
        assertThat(acceptedByApi).allSatisfy(o -> {
            assertThat(o.process.getBinary()).isEqualTo("/usr/local/bin/api-server");
            assertThat(o.remoteInternal).isTrue();
        });
    }

    @Test
    void repeatedReportsOfOneFlowGiveByteDeltasAndOneFirstReport() throws Exception {
        ShopCluster shop = new ShopCluster().startup().exfiltration(5_000);
        List<Observation> reports = Replay.lineage(config, shop.script.events()).stream()
                .filter(o -> o.flow() != null && o.flow().getRemote().getIp().equals(ShopCluster.EXFIL_DESTINATION))
                .toList();

        assertThat(reports).extracting(o -> o.firstReport).containsExactly(true, false, false);
        assertThat(reports).extracting(o -> o.bytesSentDelta).containsExactly(20L << 20, 25L << 20, 25L << 20);
        assertThat(reports).allSatisfy(o -> assertThat(o.remoteInternal).isFalse());
    }

    @Test
    void aFlowAheadOfItsPeersIdentityWaitsForItWhileTheScanDetectorSeesItAtOnce() throws Exception {
        ShopCluster shop = new ShopCluster();
        shop.script.identity(shop.frontend, 0);
        Proc app = shop.script.exec(shop.frontend, null, 100, "/usr/bin/python3", "app.py");
        shop.script.outbound(app, shop.api.ip(), 8080, 1_000, FlowEnd.CLOSED, 800);
        // the api's update comes from node-b's partition, after node-a's flow
        shop.script.identity(shop.api, 0);

        try (var harness = Replay.lineageHarness(config)) {
            long wallMs = 50_000;
            for (Event event : shop.script.events()) {
                harness.setProcessingTime(wallMs);
                if (event.getPayload() instanceof IdentityUpdate && !event.getNode().equals("node-a")) {
                    assertThat(flows(harness.extractOutputValues())).singleElement().satisfies(early -> {
                        assertThat(early.resolution).isEqualTo(PeerResolution.PENDING);
                        assertThat(early.remoteWorkload).isNull();
                        assertThat(early.remoteInternal).isTrue();
                    });
                }
                Replay.feed(harness, event);
            }
            harness.setProcessingTime(wallMs + PeerHold.RECHECK_MS);

            List<Observation> flows = flows(harness.extractOutputValues());
            assertThat(flows).extracting(o -> o.resolution)
                    .containsExactly(PeerResolution.PENDING, PeerResolution.AFTER_HOLD);
            assertThat(flows.getLast().remoteWorkloadKey()).isEqualTo("shop/Deployment/api");
            assertThat(flows.getLast().process.getBinary()).isEqualTo("/usr/bin/python3");
        }
    }

    @Test
    void aPeerNoIdentityNamesGoesOnUnresolvedWhenTheHoldRunsOutAndLaterReportsKeepTheirOrder() throws Exception {
        ShopCluster shop = new ShopCluster();
        shop.script.identity(shop.frontend, 0);
        Proc app = shop.script.exec(shop.frontend, null, 100, "/usr/bin/python3", "app.py");
        shop.script.longFlow(app, "10.1.99.99", 9000, 1_000, 1_000, 100, 300);

        try (var harness = Replay.lineageHarness(config)) {
            long wallMs = 50_000;
            for (Event event : shop.script.events()) {
                harness.setProcessingTime(wallMs);
                Replay.feed(harness, event);
            }
            long holdMs = config.lineage.peerIdentityHoldMs;
            harness.setProcessingTime(wallMs + holdMs - 1);
            assertThat(flows(harness.extractOutputValues())).extracting(o -> o.resolution)
                    .containsExactly(PeerResolution.PENDING);

            harness.setProcessingTime(wallMs + holdMs + PeerHold.RECHECK_MS);
            List<Observation> released = flows(harness.extractOutputValues()).subList(1, 3);
            assertThat(released).extracting(o -> o.resolution).containsOnly(PeerResolution.AFTER_HOLD);
            assertThat(released).extracting(o -> o.remoteWorkload).containsOnlyNulls();
            assertThat(released).extracting(o -> o.firstReport).containsExactly(true, false);
            assertThat(released).extracting(o -> o.bytesSentDelta).containsExactly(100L, 200L);
        }
    }

    private static List<Observation> flows(List<Observation> observations) {
        return observations.stream().filter(o -> o.flow() != null).toList();
    }
}
