package dev.ringfence.feedback.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.protocol.ActiveDecision;
import dev.ringfence.feedback.protocol.EnforcementState;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.server.FeedbackService;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.TestPki;
import dev.ringfence.feedback.testing.TestSensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real gRPC over mutual TLS: decisions reach the sensor of their node, only it, also after it was offline. */
class NodeRoutingIT {
    @TempDir
    static Path dir;
    static TestPki pki;
    static FeedbackService service;
    static EnforcementClient ops;

    @BeforeAll
    static void start() {
        pki = new TestPki(dir.resolve("ca"));
        service = FeedbackService.start(pki.config());
        ops = EnforcementClient.connect("localhost:" + service.port(), pki.ops.tls());
    }

    @AfterAll
    static void stop() {
        ops.close();
        service.close();
    }

    @Test
    void aSensorReceivesOnlyItsOwnNodesDecisions() throws Exception {
        try (TestSensor a = TestSensor.connect(service.port(), pki.nodeA, AckOutcome.APPLIED);
             TestSensor b = TestSensor.connect(service.port(), pki.nodeB, AckOutcome.APPLIED)) {
            assertThat(a.link().node()).isEqualTo("node-a");
            Decision forB = Decisions.kill("ops", "node-b", 4242).build();
            assertThat(ops.submit(forB).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(b.next().getDecisionId()).isEqualTo(forB.getDecisionId());

            // the loop delivers in order: had B's decision been routed to A too, A would see it before its own
            Decision forA = Decisions.kill("ops", "node-a", 777).build();
            assertThat(ops.submit(forA).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(a.next().getDecisionId()).isEqualTo(forA.getDecisionId());
            assertThat(a.received()).extracting(Decision::getDecisionId).containsExactly(forA.getDecisionId());
            assertThat(b.received()).extracting(Decision::getDecisionId).containsExactly(forB.getDecisionId());
        }
    }

    @Test
    void aDecisionForAnOfflineNodeIsDeliveredWhenItsSensorConnects() throws Exception {
        Decision isolate = Decisions.isolate("ops", "node-b", "shop", "offline-cart", Duration.ofMinutes(10)).build();
        assertThat(ops.submit(isolate).getReason()).contains("offline");
        assertThat(stateOf(isolate)).isEqualTo(EnforcementState.AWAITING_ACK);

        try (TestSensor b = TestSensor.connect(service.port(), pki.nodeB, AckOutcome.APPLIED)) {
            assertThat(b.next().getDecisionId()).isEqualTo(isolate.getDecisionId());
            awaitState(isolate, EnforcementState.ENFORCED);
        }
    }

    @Test
    void anUnackedDecisionIsSentAgainAfterTheSensorReconnects() throws Exception {
        Decision block = Decisions.block("ops", "node-a", "shop", "payments", "10.0.0.0/24").build();
        try (TestSensor silent = TestSensor.connect(service.port(), pki.nodeA, null)) {
            ops.submit(block);
            assertThat(silent.next().getDecisionId()).isEqualTo(block.getDecisionId());
        }
        try (TestSensor again = TestSensor.connect(service.port(), pki.nodeA, AckOutcome.APPLIED)) {
            assertThat(again.next().getDecisionId()).isEqualTo(block.getDecisionId());
            awaitState(block, EnforcementState.ENFORCED);
        }
        assertThat(activeFor(block).getAttempts()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRefusingSensorEndsTheDecisionAndAKillIsNotListedOnceApplied() throws Exception {
        Decision kill = Decisions.kill("ops", "node-a", 31337).build();
        Decision refusedIsolation = Decisions.isolate("ops", "node-a", "shop", "frontend", Duration.ofMinutes(1)).build();
        try (TestSensor a = TestSensor.connect(service.port(), pki.nodeA, null)) {
            ops.submit(kill);
            a.link().ack(Decisions.ack(a.next(), AckOutcome.APPLIED));
            ops.submit(refusedIsolation);
            a.link().ack(Decisions.ack(a.next(), AckOutcome.REFUSED));
            awaitGone(kill);
            awaitGone(refusedIsolation);
        }
        assertThat(service.metrics().decisionCount(DecisionAction.ISOLATE_WORKLOAD, "ack_refused")).isGreaterThanOrEqualTo(1);
        assertThat(service.metrics().decisionCount(DecisionAction.KILL_PROCESS, "ack_applied")).isGreaterThanOrEqualTo(1);
    }

    private static ActiveDecision activeFor(Decision decision) {
        return ops.listActive().stream()
                .filter(active -> EnforcementClient.decisionOf(active).getDecisionId().equals(decision.getDecisionId()))
                .findFirst().orElse(null);
    }

    private static EnforcementState stateOf(Decision decision) {
        ActiveDecision active = activeFor(decision);
        return active == null ? null : active.getState();
    }

    static void awaitState(Decision decision, EnforcementState state) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (stateOf(decision) != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stateOf(decision)).isEqualTo(state);
    }

    private static void awaitGone(Decision decision) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (activeFor(decision) != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(List.of(ops.listActive())).isNotNull();
        assertThat(activeFor(decision)).as("no longer listed").isNull();
    }
}
