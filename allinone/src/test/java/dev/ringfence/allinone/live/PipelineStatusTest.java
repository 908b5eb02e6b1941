package dev.ringfence.allinone.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.SensorHealth;
import dev.ringfence.contract.codec.RandomRecords;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineStatusTest {
    private static final long NOW = 1_800_000_000_000_000_000L;
    private final RandomRecords random = new RandomRecords(7);
    private final PipelineStatus status = new PipelineStatus();

    @Test
    void healthReportsGiveLostEventsOfTheLatestReportPerNodeAndAreNotCountedAsEvents() {
        status.event(health("a", 3, 1, 2));
        status.event(health("a", 5, 1, 2));
        status.event(health("b", 1, 0, 0));
        status.event(event(random.next(dev.ringfence.contract.ProcessExec.class)));

        PipelineStatus.Snapshot snapshot = status.snapshot(NOW);

        assertThat(snapshot.lost()).isEqualTo((5 + 1 + 2) + 1);
        assertThat(snapshot.sensors()).isEqualTo(2);
        assertThat(snapshot.events()).isEqualTo(1);
    }

    @Test
    void alertsAndDecisionsAreCountedOncePerIdAcrossRevisionsAndReplays() {
        status.alert(Records.alert("a1", 1));
        status.alert(Records.alert("a1", 2));
        status.alert(Records.alert("a2", 1));
        status.decision(Records.decision("d1", DecisionAction.KILL_PROCESS, 0, true));
        status.decision(Records.decision("d1", DecisionAction.KILL_PROCESS, 0, true));
        status.decision(Records.decision("d2", DecisionAction.BLOCK_CONNECTION, 60_000, false));

        PipelineStatus.Snapshot snapshot = status.snapshot(NOW);

        assertThat(snapshot.alerts()).isEqualTo(2);
        assertThat(snapshot.decisions()).isEqualTo(2);
        assertThat(snapshot.dryRunDecisions()).isEqualTo(1);
    }

    @Test
    void aBlockIsActiveFromItsAppliedAckUntilItsTtlOrItsRelease() {
        status.decision(Records.decision("block", DecisionAction.BLOCK_CONNECTION, 60_000, false));
        status.decision(Records.decision("kill", DecisionAction.KILL_PROCESS, 0, false));
        status.decision(Records.decision("dry", DecisionAction.ISOLATE_WORKLOAD, 60_000, true));
        assertThat(status.snapshot(NOW).activeBlocks()).as("decided is not applied").isZero();

        status.audit(Records.ack("block", AckOutcome.APPLIED, NOW));
        status.audit(Records.ack("kill", AckOutcome.APPLIED, NOW));
        status.audit(Records.ack("dry", AckOutcome.DRY_RUN, NOW));
        assertThat(status.snapshot(NOW + 1).activeBlocks()).as("only the applied block").isEqualTo(1);
        assertThat(status.snapshot(NOW + 60_000_000_000L).activeBlocks()).as("its TTL ran out").isZero();

        status.decision(Records.decision("isolate", DecisionAction.ISOLATE_WORKLOAD, 600_000, false));
        status.audit(Records.ack("isolate", AckOutcome.APPLIED, NOW));
        status.audit(Records.ack("isolate", AckOutcome.RELEASED, NOW + 1));
        assertThat(status.snapshot(NOW + 2).activeBlocks()).as("released").isZero();
    }

    private Event health(String node, long kernelLost, long userLost, long spoolDropped) {
        SensorHealth health = random.next(SensorHealth.class);
        health.setNode(node);
        health.setKernelLostByType(Map.of("ProcessExec", kernelLost));
        health.setUserLost(userLost);
        health.setSpoolDropped(spoolDropped);
        return event(health);
    }

    private static Event event(Object payload) {
        return new Event("n", NOW, 1L, payload);
    }
}
