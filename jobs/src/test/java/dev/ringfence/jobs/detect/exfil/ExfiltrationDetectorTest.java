package dev.ringfence.jobs.detect.exfil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.FlowEnd;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.scenario.Proc;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExfiltrationDetectorTest {
    private final JobConfig config = TestConfigs.harness();

    private List<Alert> run(ShopCluster shop) throws Exception {
        List<Observation> observations = Replay.lineage(config, shop.script.events());
        try (var harness = Replay.keyed(new ExfiltrationDetector(config.detectors.exfiltration),
                Observation::workloadKey)) {
            return Replay.run(harness, observations, ExfiltrationDetector::isEgress);
        }
    }

    @Test
    void packageDownloadsAreNoExfiltration() throws Exception {
        assertThat(run(new ShopCluster().startup().background(3_200, 130_000))).isEmpty();
    }

    @Test
    void volumeOverTheWindowRaisesOneAlertForTheProcess() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 40_000).exfiltration(40_000);
        List<Alert> alerts = run(shop);

        // 20 MiB, 45 MiB, 70 MiB cumulative in 20 s: the 50 MiB threshold is crossed at the third report
        assertThat(alerts).hasSize(1);
        Alert alert = alerts.getFirst();
        assertThat(alert.getRuleId()).isEqualTo("RF-EXFIL-001");
        assertThat(alert.getTechniqueIds()).containsExactly("T1041", "T1048");
        assertThat(alert.getProcess().getBinary()).isEqualTo("/usr/lib/postgresql/16/bin/pg_dump");
        assertThat(alert.getDestination().getIp()).isEqualTo(ShopCluster.EXFIL_DESTINATION);
        assertThat(alert.getEvidence()).containsEntry("trigger", "volume")
                .containsEntry("window_bytes", Long.toString(70L << 20));
        assertThat(alert.getRiskScore()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void aNeverSeenDestinationAfterLearningAlertsBelowTheVolumeThreshold() throws Exception {
        ShopCluster shop = new ShopCluster().startup().background(3_200, 70_000);
        Proc apt = shop.script.exec(shop.build, null, 70_000, "/usr/bin/apt-get", "update");
        shop.script.outbound(apt, "198.51.100.7", 443, 70_100, FlowEnd.CLOSED, 3L << 20);
        List<Alert> alerts = run(shop);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.getFirst().getEvidence()).containsEntry("trigger", "new-destination")
                .containsKey("destination.198.51.100.7");
    }
}
