package dev.ringfence.jobs.detect.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.StepKind;
import dev.ringfence.jobs.config.JobConfig;
import dev.ringfence.jobs.lineage.Observation;
import dev.ringfence.jobs.scenario.Replay;
import dev.ringfence.jobs.scenario.ShopCluster;
import dev.ringfence.jobs.scenario.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanDetectorTest {
    private final JobConfig config = TestConfigs.harness();

    @Test
    void benignTrafficIsNoScan() throws Exception {
        List<Observation> observations = Replay.lineage(config,
                new ShopCluster().startup().background(3_200, 120_000).script.events());
        try (var harness = Replay.keyed(new ScanDetector(config.detectors.scan), Observation::workloadKey)) {
            assertThat(Replay.run(harness, observations, ScanDetector::isProbe)).isEmpty();
        }
    }

    @Test
    void probesOfManyPortsOpenOneAlertThatGrows() throws Exception {
        List<Observation> observations = Replay.lineage(config,
                new ShopCluster().startup().background(3_200, 60_000).scan(45_000).script.events());
        try (var harness = Replay.keyed(new ScanDetector(config.detectors.scan), Observation::workloadKey)) {
            List<Alert> alerts = Replay.run(harness, observations, ScanDetector::isProbe);

            assertThat(alerts).extracting(Alert::getAlertId).containsOnly(alerts.getFirst().getAlertId());
            assertThat(alerts).extracting(Alert::getRevision).containsExactly(1, 2, 3);
            Alert last = alerts.getLast();
            assertThat(last.getRuleId()).isEqualTo("RF-SCAN-001");
            assertThat(last.getTechniqueIds()).containsExactly("T1046");
            assertThat(last.getWorkload().getWorkloadKey()).isEqualTo("shop/Deployment/frontend");
            assertThat(last.getProcess().getArgv()).contains("import socket...");
            assertThat(last.getAncestry()).extracting(p -> p.getBinary()).containsExactly("/usr/bin/python3");
            assertThat(last.getStoryline()).allSatisfy(step -> assertThat(step.getKind()).isEqualTo(StepKind.CONNECT));
            // revised every 10 new peers: at 10 (threshold 20 = 10 refused x 2), 20 and 30 refused probes; the
            // frontend's usual call to the api is one more distinct peer
            assertThat(last.getEvidence()).containsEntry("failed_peers", "30").containsEntry("distinct_peers", "31");
            assertThat(last.getSeverity()).isIn(Severity.HIGH, Severity.CRITICAL);
        }
    }

    @Test
    void aScanInterruptedByARestartContinuesTheSameAlert() throws Exception {
        List<Observation> observations = Replay.lineage(config,
                new ShopCluster().startup().scan(45_000).script.events());
        List<Observation> probes = observations.stream().filter(ScanDetector::isProbe).toList();
        List<Observation> before = probes.subList(0, 12);
        List<Observation> after = probes.subList(12, probes.size());

        String alertId;
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var harness = Replay.keyed(new ScanDetector(config.detectors.scan), Observation::workloadKey)) {
            List<Alert> first = Replay.run(harness, before, o -> true);
            assertThat(first).hasSize(1);
            alertId = first.getFirst().getAlertId();
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = Replay.restored(new ScanDetector(config.detectors.scan), Observation::workloadKey,
                snapshot)) {
            List<Alert> next = Replay.run(restored, after, o -> true);
            assertThat(next).isNotEmpty();
            assertThat(next).allSatisfy(alert -> {
                assertThat(alert.getAlertId()).isEqualTo(alertId);
                assertThat(alert.getRevision()).isGreaterThan(1);
            });
        }
    }
}
