package dev.ringfence.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.FlowEnd;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.scenario.EventScript;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
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

    @Test
    void anExitedProcessIsForgottenOnceTheWatermarkPassesItsRetentionWhileLiveProcessesStay() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        Proc job = shop.script.exec(shop.api, shop.apiServer, 5_000, "/usr/bin/python3", "job.py");
        shop.script.exit(job, 6_000);
        long exitMs = EventScript.timeNs(6_000) / 1_000_000L;
        long retentionMs = config.lineage.exitRetentionMs;

        try (var harness = Replay.lineageHarness(config)) {
            EventScript.inTimeOrder(shop.script.drain()).forEach(event -> feedQuietly(harness, event));
            advanceWatermark(harness, exitMs + retentionMs - 1);
            List<Observation> within = egressOf(harness, shop, job, 6_500);
            assertThat(within.getFirst().ancestry).extracting(ProcessRef::getBinary)
                    .startsWith("/usr/local/bin/api-server");

            // the sweep runs on a 10 s grid after the retention
            advanceWatermark(harness, exitMs + retentionMs + 20_000);
            List<Observation> after = egressOf(harness, shop, job, 6_600);
            assertThat(after.getFirst().ancestry).as("the exited job is a placeholder now").isEmpty();
            assertThat(after.getLast().process.getStartNs()).as("the api server is still known").isNotZero();
        }
    }

    @Test
    void processesIdleForTheirTtlAreSweptFromTheNodesTree() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        Proc job = shop.script.exec(shop.api, shop.apiServer, 5_000, "/usr/bin/python3", "job.py");
        List<Event> started = EventScript.inTimeOrder(shop.script.drain());
        shop.script.outbound(job, ShopCluster.EXFIL_DESTINATION, 443, 7_000, FlowEnd.CLOSED, 100);
        List<Event> flow = shop.script.drain();
        // restored with the TTL clock back at zero, only a sweep keeps the idle process from coming back
        assertThat(ownerAfterRestore(started, flow, false).ancestry).isNotEmpty();
        assertThat(ownerAfterRestore(started, flow, true).ancestry).isEmpty();
    }

    private Observation ownerAfterRestore(List<Event> before, List<Event> after, boolean idleSweep) throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = Replay.lineageHarness(config)) {
            before.forEach(event -> feedQuietly(harness, event));
            if (idleSweep) {
                long later = 3 * config.lineage.processIdleTtlMs;
                harness.setStateTtlProcessingTime(later);
                harness.setProcessingTime(later);
            }
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = Replay.restoredLineage(config, snapshot)) {
            after.forEach(event -> feedQuietly(restored, event));
            return flows(restored.extractOutputValues()).getFirst();
        }
    }

    /** One egress report each of the job and of the api server, at the same time; returns their observations. */
    private static List<Observation> egressOf(KeyedBroadcastOperatorTestHarness<String, Event, Event, Observation>
            harness, ShopCluster shop, Proc job, long atMs) {
        harness.getOutput().clear();
        shop.script.outbound(job, ShopCluster.EXFIL_DESTINATION, 443, atMs, FlowEnd.CLOSED, 100);
        shop.script.outbound(shop.apiServer, ShopCluster.EXFIL_DESTINATION, 443, atMs, FlowEnd.CLOSED, 100);
        shop.script.drain().forEach(event -> feedQuietly(harness, event));
        List<Observation> reports = flows(harness.extractOutputValues());
        assertThat(reports).hasSize(2);
        return reports;
    }

    private static void advanceWatermark(KeyedBroadcastOperatorTestHarness<String, Event, Event, Observation> harness,
            long timestampMs) throws Exception {
        harness.processWatermark(new Watermark(timestampMs));
        harness.processBroadcastWatermark(new Watermark(timestampMs));
    }

    private static void feedQuietly(KeyedBroadcastOperatorTestHarness<String, Event, Event, Observation> harness,
            Event event) {
        try {
            Replay.feed(harness, event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Observation> flows(List<Observation> observations) {
        return observations.stream().filter(o -> o.flow() != null).toList();
    }
}
