package dev.ringfence.feedback.testing;

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
        return ActiveList.listed(ops, decisionId);
    }

    public EnforcementState stateOf(String decisionId) {
        return ActiveList.stateOf(ops, decisionId);
    }

    /** Waits until the decision is listed in {@code state}; null: until it is no longer listed. */
    public void awaitState(String decisionId, EnforcementState state) throws InterruptedException {
        ActiveList.awaitState(ops, decisionId, state);
    }

    @Override
    public void close() {
        ops.close();
        service.close();
    }
}
