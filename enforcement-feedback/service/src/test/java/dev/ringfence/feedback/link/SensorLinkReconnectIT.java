package dev.ringfence.feedback.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.TestPki;
import dev.ringfence.feedback.testing.TestSensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sensor's link outlives the service: it dials again with backoff by itself. (Acks queued meanwhile: RestartRecoveryIT.) */
class SensorLinkReconnectIT {
    @TempDir
    Path dir;

    @Test
    void theLinkReconnectsByItselfAfterTheServiceRestarts() throws Exception {
        TestPki pki = new TestPki(dir);
        FeedbackConfig.Builder config = pki.config();
        FeedbackService first = FeedbackService.start(config.build());
        int port = first.port();
        LinkedBlockingQueue<Decision> inbox = new LinkedBlockingQueue<>();
        SensorLinkConfig linkConfig = new SensorLinkConfig("localhost:" + port, pki.nodeA.tls(), Duration.ofMillis(50), Duration.ofMillis(400));
        try (SensorLink link = SensorLink.create(linkConfig, inbox::add).start()) {
            assertThat(link.awaitConnected(TestSensor.WAIT)).isTrue();
            first.close();
            awaitDisconnected(link);
            Thread.sleep(1_000); // several attempts fail while the service is away (backoff 50..400 ms)

            try (FeedbackService second = FeedbackService.start(config.port(port).build());
                 EnforcementClient ops = EnforcementClient.connect("localhost:" + port, pki.ops.tls())) {
                assertThat(link.awaitConnected(TestSensor.WAIT)).as("reconnected without being told").isTrue();
                Decision kill = Decisions.kill("ops", "node-a", 4001).build();
                ops.submit(kill);
                Decision received = inbox.poll(TestSensor.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(received).isNotNull();
                assertThat(received.getDecisionId()).isEqualTo(kill.getDecisionId());
                link.ack(Decisions.ack(received, AckOutcome.APPLIED));
                awaitCount(second, "ack_applied", 1);
                assertThat(link.droppedAcks()).isZero();
            }
        }
    }

    private static void awaitDisconnected(SensorLink link) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (link.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(link.isConnected()).isFalse();
    }

    private static void awaitCount(FeedbackService service, String outcome, double count) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (service.metrics().decisionCount(DecisionAction.KILL_PROCESS, outcome) < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(service.metrics().decisionCount(DecisionAction.KILL_PROCESS, outcome)).isEqualTo(count);
    }
}
