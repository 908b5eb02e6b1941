package dev.ringfence.jobs.detect.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.StepKind;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.scenario.EventScript;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

class RemoteExecChainDetectorTest {
    private final JobConfig config = TestConfigs.harness();

    private RemoteExecChainDetector detector() {
        return new RemoteExecChainDetector(config.detectors.remoteExec, config.detectors.binaries);
    }

    @Test
    void benignShellsAreNoChain() throws Exception {
        // the cron job and the build pod run shells all the time, but no connection was accepted above them
        List<Observation> input = Replay.chainInput(config, Replay.lineage(config,
                new ShopCluster().startup().background(3_200, 120_000).script.events()));
        try (var harness = Replay.keyed(detector(), Observation::node)) {
            assertThat(Replay.run(harness, input, o -> true)).isEmpty();
        }
    }

    @Test
    void aShellUnderAServerThatJustAcceptedAConnectionTellsTheWholeStory() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 40_000);
        Proc shell = shop.remoteExec(40_000);
        Proc payload = shop.payload(shell, 41_000);
        List<Observation> input = Replay.chainInput(config, Replay.lineage(config, shop.script.events()));
        try (var harness = Replay.keyed(detector(), Observation::node)) {
            List<Alert> alerts = Replay.run(harness, input, o -> true);

            assertThat(alerts).extracting(Alert::getAlertId).containsOnly(alerts.getFirst().getAlertId());
            Alert story = alerts.getLast();
            assertThat(story.getRevision()).isEqualTo(alerts.size());
            assertThat(story.getRuleId()).isEqualTo("RF-CHAIN-001");
            assertThat(story.getTechniqueIds()).containsExactly("T1021", "T1059");
            assertThat(story.getNode()).isEqualTo("node-b");
            assertThat(story.getProcess().getExecId()).isEqualTo(shell.execId());
            assertThat(story.getParent().getBinary()).isEqualTo("/usr/local/bin/api-server");
            assertThat(story.getEvidence()).containsEntry("source_workload", "shop/Deployment/frontend")
                    .containsEntry("peer_exec_id", shop.frontendApp.execId());
            assertThat(story.getStoryline()).extracting(StorylineStep::getKind).containsExactly(
                    StepKind.CONNECT, StepKind.ACCEPT, StepKind.PROCESS_EXEC, StepKind.PROCESS_EXEC,
                    StepKind.PROCESS_EXEC);
            assertThat(story.getStoryline()).extracting(StorylineStep::getNode)
                    .containsExactly("node-a", "node-b", "node-b", "node-b", "node-b");
            assertThat(story.getStoryline()).extracting(step -> step.getProcess().getBinary()).containsExactly(
                    "/usr/bin/python3", "/usr/local/bin/api-server", "/bin/sh", "/usr/bin/curl", "/tmp/x");
            assertThat(story.getStorylineExecIds()).contains(shop.frontendApp.execId(), shell.execId(),
                    payload.execId());
            assertThat(story.getSource().getIp()).isEqualTo(shop.frontend.ip());
            assertThat(story.getDestinationWorkload().getWorkloadKey()).isEqualTo("shop/Deployment/api");
        }
    }

    @Test
    void anAcceptJoinedWithItsConnectingSideIsNotForgottenWhenTheBareAcceptComesAfterIt() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        shop.script.call(shop.frontendApp, shop.apiServer, 8080, 5_000);
        shop.script.exec(shop.api, shop.apiServer, 5_500, "/bin/sh", "-i");
        List<Observation> input = new ArrayList<>(Replay.chainInput(config,
                Replay.lineage(config, shop.script.events())));
        Observation joined = input.stream().filter(o -> o.peerProcess != null
                && o.timeNs() == EventScript.timeNs(5_000)).findFirst().orElseThrow();
        Observation bare = input.stream().filter(o -> o.flow() != null && o.peerProcess == null
                && o.flow().getFlowId().equals(joined.flow().getFlowId())).findFirst().orElseThrow();
        // the two paths reach the detector in either order
        input.remove(joined);
        input.add(input.indexOf(bare), joined);
        try (var harness = Replay.keyed(detector(), Observation::node)) {
            Alert story = Replay.run(harness, input, o -> true).getLast();

            assertThat(story.getStoryline()).extracting(step -> step.getProcess().getBinary())
                    .containsExactly("/usr/bin/python3", "/usr/local/bin/api-server", "/bin/sh");
            assertThat(story.getEvidence()).containsEntry("peer_exec_id", shop.frontendApp.execId());
        }
    }

    @Test
    void aShellLongAfterTheConnectionIsNoChain() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        shop.script.call(shop.frontendApp, shop.apiServer, 8080, 5_000);
        shop.script.exec(shop.api, shop.apiServer, 5_000 + config.detectors.remoteExec.windowMs + 1_000, "/bin/sh");
        List<Observation> input = Replay.chainInput(config, Replay.lineage(config, shop.script.events()));
        try (var harness = Replay.keyed(detector(), Observation::node)) {
            assertThat(Replay.run(harness, input, o -> true)).isEmpty();
        }
    }

    @Test
    void connectionsWhoseTtlRanOutAreSweptFromTheNodesState() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        shop.script.call(shop.frontendApp, shop.apiServer, 8080, 5_000);
        int connectionEvents = shop.script.events().size();
        shop.script.exec(shop.api, shop.apiServer, 6_000, "/bin/sh");
        List<Observation> input = Replay.chainInput(config, Replay.lineage(config, shop.script.events()));
        List<Observation> connection = input.stream()
                .filter(o -> o.timeNs() < shop.script.events().get(connectionEvents).getTimeNs()).toList();
        List<Observation> shell = input.subList(connection.size(), input.size());
        // restored with the TTL clock back at zero, only a sweep keeps the expired connection from explaining the shell
        assertThat(alertsAfterRestore(connection, shell, false)).hasSize(1);
        assertThat(alertsAfterRestore(connection, shell, true)).isEmpty();
    }

    @Test
    void storylinesWhoseTtlRanOutAreSweptFromTheNodesState() throws Exception {
        ShopCluster shop = new ShopCluster().startup();
        Proc shell = shop.remoteExec(5_000);
        long payloadAtMs = 7_000;
        shop.payload(shell, payloadAtMs);
        List<Observation> input = Replay.chainInput(config, Replay.lineage(config, shop.script.events()));
        List<Observation> chain = input.stream().filter(o -> o.timeNs() < EventScript.timeNs(payloadAtMs)).toList();
        List<Observation> payload = input.subList(chain.size(), input.size());
        // restored with the TTL clock back at zero, the unswept storyline still takes the shell's next binary in
        assertThat(alertsAfterRestore(chain, payload, false)).singleElement()
                .satisfies(alert -> assertThat(alert.getRevision()).isGreaterThan(1));
        assertThat(alertsAfterRestore(chain, payload, true)).isEmpty();
    }

    private List<Alert> alertsAfterRestore(List<Observation> before, List<Observation> after, boolean sweep)
            throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = Replay.keyed(detector(), Observation::node)) {
            Replay.run(harness, before, o -> true);
            if (sweep) {
                long dayLater = Duration.ofDays(1).toMillis();
                harness.setStateTtlProcessingTime(dayLater);
                harness.setProcessingTime(dayLater);
            }
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = Replay.restored(detector(), Observation::node, snapshot)) {
            return Replay.run(restored, after, o -> true);
        }
    }

    @Test
    void aRestartInTheMiddleOfTheChainKeepsGrowingTheSameStory() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 40_000);
        Proc shell = shop.remoteExec(40_000);
        shop.payload(shell, 41_000);
        List<Observation> input = Replay.chainInput(config, Replay.lineage(config, shop.script.events()));
        List<Observation> before = input.stream().filter(o -> o.timeNs() < EventScript.timeNs(41_000)).toList();
        List<Observation> after = input.subList(before.size(), input.size());

        Alert beforeRestart;
        OperatorSubtaskState snapshot;
        try (var harness = Replay.keyed(detector(), Observation::node)) {
            beforeRestart = Replay.run(harness, before, o -> true).getLast();
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = Replay.restored(detector(), Observation::node, snapshot)) {
            List<Alert> alerts = Replay.run(restored, after, o -> true);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.getFirst().getAlertId()).isEqualTo(beforeRestart.getAlertId());
            assertThat(alerts.getFirst().getRevision()).isEqualTo(beforeRestart.getRevision() + 1);
            assertThat(alerts.getFirst().getStoryline().getLast().getProcess().getBinary()).isEqualTo("/tmp/x");
        }
    }
}
