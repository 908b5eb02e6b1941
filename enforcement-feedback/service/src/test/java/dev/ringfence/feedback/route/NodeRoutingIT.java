package dev.ringfence.feedback.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.protocol.EnforcementState;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.server.FeedbackService;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.RunningService;
import dev.ringfence.feedback.testing.TestSensor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real gRPC over mutual TLS: decisions reach the sensor of their node, only it, also after it was offline. */
class NodeRoutingIT {
    @TempDir
    static Path dir;
    static RunningService running;

    @BeforeAll
    static void start() {
        running = RunningService.start(dir, config -> config.metricsPort(0));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void aSensorReceivesOnlyItsOwnNodesDecisions() throws Exception {
        try (TestSensor a = running.sensor(running.pki.nodeA, AckOutcome.APPLIED);
             TestSensor b = running.sensor(running.pki.nodeB, AckOutcome.APPLIED)) {
            assertThat(a.link().node()).isEqualTo("node-a");
            Decision forB = Decisions.kill("ops", "node-b", 4242).build();
            assertThat(running.ops.submit(forB).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(b.next().getDecisionId()).isEqualTo(forB.getDecisionId());

            // the loop delivers in order: had B's decision been routed to A too, A would see it before its own
            Decision forA = Decisions.kill("ops", "node-a", 777).build();
            assertThat(running.ops.submit(forA).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(a.next().getDecisionId()).isEqualTo(forA.getDecisionId());
            assertThat(a.received()).extracting(Decision::getDecisionId).containsExactly(forA.getDecisionId());
            assertThat(b.received()).extracting(Decision::getDecisionId).containsExactly(forB.getDecisionId());
        }
    }

    @Test
    void aDecisionForAnOfflineNodeIsDeliveredWhenItsSensorConnects() throws Exception {
        Decision isolate = Decisions.isolate("ops", "node-b", "shop", "offline-cart", Duration.ofMinutes(10)).build();
        assertThat(running.ops.submit(isolate).getReason()).contains("offline");
        assertThat(running.stateOf(isolate.getDecisionId())).isEqualTo(EnforcementState.AWAITING_ACK);

        try (TestSensor b = running.sensor(running.pki.nodeB, AckOutcome.APPLIED)) {
            assertThat(b.next().getDecisionId()).isEqualTo(isolate.getDecisionId());
            running.awaitState(isolate.getDecisionId(), EnforcementState.ENFORCED);
        }
    }

    @Test
    void anUnackedDecisionIsSentAgainAfterTheSensorReconnects() throws Exception {
        Decision block = Decisions.block("ops", "node-a", "shop", "payments", "10.0.0.0/24").build();
        try (TestSensor silent = running.sensor(running.pki.nodeA, null)) {
            running.ops.submit(block);
            assertThat(silent.next().getDecisionId()).isEqualTo(block.getDecisionId());
        }
        try (TestSensor again = running.sensor(running.pki.nodeA, AckOutcome.APPLIED)) {
            assertThat(again.next().getDecisionId()).isEqualTo(block.getDecisionId());
            running.awaitState(block.getDecisionId(), EnforcementState.ENFORCED);
        }
        assertThat(running.listed(block.getDecisionId()).orElseThrow().getAttempts()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRefusingSensorEndsTheDecisionAndAKillIsNotListedOnceApplied() throws Exception {
        Decision kill = Decisions.kill("ops", "node-a", 31337).build();
        Decision refusedIsolation = Decisions.isolate("ops", "node-a", "shop", "frontend", Duration.ofMinutes(1)).build();
        try (TestSensor a = running.sensor(running.pki.nodeA, null)) {
            running.ops.submit(kill);
            a.link().ack(Decisions.ack(a.next(), AckOutcome.APPLIED));
            running.ops.submit(refusedIsolation);
            a.link().ack(Decisions.ack(a.next(), AckOutcome.REFUSED));
            running.awaitState(kill.getDecisionId(), null);
            running.awaitState(refusedIsolation.getDecisionId(), null);
        }
        assertThat(running.service.metrics().decisionCount(DecisionAction.ISOLATE_WORKLOAD, "ack_refused")).isGreaterThanOrEqualTo(1);
        assertThat(running.service.metrics().decisionCount(DecisionAction.KILL_PROCESS, "ack_applied")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aServiceThatCannotStartSaysWhyAndLeavesNothingRunning() {
        int busyPort = running.service.port();
        assertThatThrownBy(() -> FeedbackService.start(running.pki.config().port(busyPort).metricsPort(0).build()))
                .hasMessageContaining("cannot listen on port " + busyPort);
        assertThatThrownBy(() -> FeedbackService.start(running.pki.config().serviceName("elsewhere").build()))
                .hasMessageContaining("no service certificate").hasMessageContaining("certs service elsewhere");
    }

    @Test
    void metricsAreServedInPrometheusFormat() throws Exception {
        Decision kill = Decisions.kill("ops", "node-b", 2024).build();
        try (TestSensor b = running.sensor(running.pki.nodeB, AckOutcome.APPLIED)) {
            running.ops.submit(kill);
            b.next();
            running.awaitState(kill.getDecisionId(), null);
        }
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + running.service.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("ringfence_feedback_decisions_total\\{action=\"KILL_PROCESS\",outcome=\"ack_applied\"} [1-9]")
                .containsPattern("ringfence_feedback_delivery_latency_seconds_count [1-9]")
                .contains("ringfence_feedback_connected_sensors");
    }
}
