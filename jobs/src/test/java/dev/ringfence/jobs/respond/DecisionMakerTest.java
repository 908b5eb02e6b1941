package dev.ringfence.jobs.respond;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.detect.exec.UnexpectedExecDetector;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DecisionMakerTest {
    private final JobConfig config = TestConfigs.harness();

    /** The unexpected-exec alert revisions of a shell in the api pod and of the same shell in the frontend. */
    private List<Alert> alerts() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 40_000);
        Proc shell = shop.remoteExec(40_000);
        shop.payload(shell, 41_000);
        shop.script.exec(shop.frontend, shop.frontendApp, 42_000, "/bin/sh", "-i");
        List<Observation> observations = Replay.lineage(config, shop.script.events());
        try (var harness = Replay.keyed(new UnexpectedExecDetector(config.detectors.unexpectedExec,
                config.detectors.binaries), Observation::workloadKey)) {
            return Replay.run(harness, observations, o -> o.exec() != null);
        }
    }

    private List<Decision> decide(ResponsePolicy policy, List<Alert> alerts) throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DecisionMaker(policy, "ringfence-jobs"), Alert::getAlertId, Types.STRING)) {
            for (Alert alert : alerts) {
                harness.processElement(alert, 0);
            }
            return harness.extractOutputValues();
        }
    }

    @Test
    void enforcedWhereThePolicyEnforcesDryRunElsewhereOnceEachDespiteRevisions() throws Exception {
        List<Alert> alerts = alerts();
        List<Decision> decisions = decide(ResponsePolicy.read(Path.of("examples/response-policy.yaml")), alerts);

        // three revisions of the api alert (sh, curl, /tmp/x) kill the shell once; the frontend shell is observed
        assertThat(decisions).hasSize(2);
        Decision api = decisions.getFirst();
        assertThat(api.getAction()).isEqualTo(DecisionAction.KILL_PROCESS);
        assertThat(api.getDryRun()).isFalse();
        assertThat(api.getTarget().getNode()).isEqualTo("node-b");
        assertThat(api.getTarget().getExecId()).isEqualTo(alerts.getFirst().getProcess().getExecId());
        assertThat(api.getAlertId()).isEqualTo(alerts.getFirst().getAlertId());
        assertThat(api.getExpiresNs() - api.getIssuedNs()).isEqualTo(30_000_000_000L);
        Decision frontend = decisions.getLast();
        assertThat(frontend.getDryRun()).isTrue();
        assertThat(frontend.getTarget().getNode()).isEqualTo("node-a");
    }

    @Test
    void decisionIdsAreTheSameWhenTheAlertsAreReplayed() throws Exception {
        List<Alert> alerts = alerts();
        ResponsePolicy policy = ResponsePolicy.observeOnly();
        assertThat(decide(policy, alerts)).extracting(Decision::getDecisionId)
                .isEqualTo(decide(policy, alerts).stream().map(Decision::getDecisionId).toList());
    }

    @Test
    void blockTargetsTheAlertsDestination() {
        var alert = Alert.newBuilder().setAlertId("a").setTimeNs(1).setFirstSeenNs(1).setLastSeenNs(1)
                .setRuleId("RF-EXFIL-001").setRuleName("x").setRiskScore(70).setSummary("s").setNode("node-b")
                .setWorkload(new ShopCluster().db.identity())
                .setDestination(new dev.ringfence.contract.Endpoint("2001:db8::5", 443)).build();
        var target = DecisionMaker.target(alert, DecisionAction.BLOCK_CONNECTION);
        assertThat(target.getDestinationCidr()).isEqualTo("2001:db8::5/128");
        assertThat(target.getDestinationPort()).isEqualTo(443);
        assertThat(target.getWorkload().getWorkloadKey()).isEqualTo("shop/StatefulSet/postgres");
        assertThat(DecisionMaker.target(Alert.newBuilder(alert).setDestination(null).build(),
                DecisionAction.BLOCK_CONNECTION)).isNull();
    }
}
