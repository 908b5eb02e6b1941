package dev.ringfence.feedback.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.protocol.ActiveDecision;
import dev.ringfence.feedback.protocol.EnforcementState;
import java.util.Optional;

/** What the service lists as active, as an issuer sees it through the API. */
public final class ActiveList {
    private ActiveList() {}

    public static Optional<ActiveDecision> listed(EnforcementClient ops, String decisionId) {
        return ops.listActive().stream()
                .filter(active -> EnforcementClient.decisionOf(active).getDecisionId().equals(decisionId))
                .findFirst();
    }

    public static EnforcementState stateOf(EnforcementClient ops, String decisionId) {
        return listed(ops, decisionId).map(ActiveDecision::getState).orElse(null);
    }

    /** Waits until the decision is listed in {@code state}; null: until it is no longer listed. */
    public static void awaitState(EnforcementClient ops, String decisionId, EnforcementState state) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (stateOf(ops, decisionId) != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stateOf(ops, decisionId)).as("state of " + decisionId).isEqualTo(state);
    }
}
