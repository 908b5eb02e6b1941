package dev.ringfence.feedback.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.protocol.ActiveDecision;
import dev.ringfence.feedback.protocol.EnforcementState;
import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A service on a fresh CA with the "ops" issuer connected: what most tests start from. */
public final class RunningService implements AutoCloseable {
    public final TestPki pki;
    public final FeedbackService service;
    public final EnforcementClient ops;

    private RunningService(TestPki pki, FeedbackService service) {
        this.pki = pki;
        this.service = service;
        this.ops = EnforcementClient.connect("localhost:" + service.port(), pki.ops.tls());
    }

    public static RunningService start(Path dir) {
        return start(dir, config -> config);
    }

    public static RunningService start(Path dir, UnaryOperator<FeedbackConfig.Builder> tune) {
        TestPki pki = new TestPki(dir.resolve("ca"));
        return new RunningService(pki, FeedbackService.start(tune.apply(pki.config()).build()));
    }

    public TestSensor sensor(IssuedCertificate node, AckOutcome autoAck) throws InterruptedException {
        return TestSensor.connect(service.port(), node, autoAck);
    }

    public Optional<ActiveDecision> listed(String decisionId) {
        return ops.listActive().stream()
                .filter(active -> EnforcementClient.decisionOf(active).getDecisionId().equals(decisionId))
                .findFirst();
    }

    public EnforcementState stateOf(String decisionId) {
        return listed(decisionId).map(ActiveDecision::getState).orElse(null);
    }

    /** Waits until the decision is listed in {@code state}; null: until it is no longer listed. */
    public void awaitState(String decisionId, EnforcementState state) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (stateOf(decisionId) != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stateOf(decisionId)).as("state of " + decisionId).isEqualTo(state);
    }

    @Override
    public void close() {
        ops.close();
        service.close();
    }
}
