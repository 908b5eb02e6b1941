package dev.ringfence.contract.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.Endpoint;
import org.junit.jupiter.api.Test;

class RecordKeysTest {

    @Test
    void decisionsAreKeyedByTheirTargetNodeAndAcksByDecision() {
        Decision decision = Decision.newBuilder()
                .setDecisionId("d-1").setIssuedNs(1).setIssuer("jobs").setAction(DecisionAction.KILL_PROCESS)
                .setTarget(DecisionTarget.newBuilder().setNode("node-7").setExecId("node-7:42:100").build())
                .setReason("test").setExpiresNs(2).build();
        DecisionAck ack = DecisionAck.newBuilder().setDecisionId("d-1").setNode("node-7").setTimeNs(3)
                .setOutcome(AckOutcome.APPLIED).build();
        assertThat(RecordKeys.keyOf(decision)).isEqualTo("node-7");
        assertThat(RecordKeys.keyOf(ack)).isEqualTo("d-1");
    }

    @Test
    void aRecordNoTopicCarriesHasNoKey() {
        assertThatThrownBy(() -> RecordKeys.keyOf(new Endpoint("10.0.0.1", 80)))
                .hasMessageContaining("no topic carries dev.ringfence.contract.Endpoint");
    }

    @Test
    void topicsAreFoundByName() {
        assertThat(Topic.byName("ringfence.decisions")).isEqualTo(Topic.DECISIONS);
        assertThatThrownBy(() -> Topic.byName("ringfence.nope")).hasMessageContaining("not a Ringfence topic");
    }
}
