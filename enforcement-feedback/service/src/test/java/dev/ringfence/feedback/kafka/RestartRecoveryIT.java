package dev.ringfence.feedback.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.link.SensorLink;
import dev.ringfence.feedback.link.SensorLinkConfig;
import dev.ringfence.feedback.protocol.EnforcementState;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import dev.ringfence.feedback.testing.ActiveList;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.TestPki;
import dev.ringfence.feedback.testing.TestSensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service restarts and rebuilds its state from the audit topic: enforcement stays listed,
 * undelivered and unacked decisions are still delivered, a re-submission is still a duplicate, and
 * an ack the sensor gave while the service was down is matched after the reconnect.
 */
class RestartRecoveryIT {
    @TempDir
    Path dir;

    @Test
    void aRestartedServiceKeepsWhatItOwesAndRemembersWhatItAnswered() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.launch(dir.resolve("kafka"))) {
            TestPki pki = new TestPki(dir.resolve("ca"));
            FeedbackConfig.Builder config = pki.config().kafka(kafka.bootstrapServers());
            Decision isolate = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofHours(1)).build();
            Decision kill = Decisions.kill("ops", "node-a", 4242).build();
            Decision forOfflineNode = Decisions.kill("ops", "node-b", 4343).build();
            LinkedBlockingQueue<Decision> inbox = new LinkedBlockingQueue<>();
            int port;
            FeedbackService first = FeedbackService.start(config.build());
            port = first.port();
            SensorLinkConfig linkConfig = new SensorLinkConfig("localhost:" + port, pki.nodeA.tls(), Duration.ofMillis(50), Duration.ofMillis(400));
            try (SensorLink link = SensorLink.create(linkConfig, inbox::add).start()) {
                assertThat(link.awaitConnected(TestSensor.WAIT)).isTrue();
                try (EnforcementClient ops = EnforcementClient.connect("localhost:" + port, pki.ops.tls())) {
                    ops.submit(isolate);
                    link.ack(Decisions.ack(next(inbox), AckOutcome.APPLIED));
                    ActiveList.awaitState(ops, isolate.getDecisionId(), EnforcementState.ENFORCED);
                    ops.submit(kill);
                    assertThat(next(inbox).getDecisionId()).isEqualTo(kill.getDecisionId());
                    ops.submit(forOfflineNode);
                }
                first.close();
                while (link.isConnected()) {
                    Thread.sleep(20);
                }
                link.ack(Decisions.ack(kill, AckOutcome.APPLIED)); // queued until the link is back

                try (FeedbackService second = FeedbackService.start(config.port(port).build());
                     EnforcementClient ops = EnforcementClient.connect("localhost:" + port, pki.ops.tls())) {
                    assertThat(ActiveList.stateOf(ops, isolate.getDecisionId())).isEqualTo(EnforcementState.ENFORCED);
                    assertThat(ops.submit(isolate).getVerdict()).isEqualTo(Verdict.DUPLICATE);
                    Decision replay = Decision.newBuilder(isolate).setTtlMs(1).build();
                    assertThat(ops.submit(replay).getReason()).startsWith("replay");

                    assertThat(link.awaitConnected(TestSensor.WAIT)).isTrue();
                    // the service re-sends the kill it still owed an ack for; the queued ack settles it
                    assertThat(next(inbox).getDecisionId()).isEqualTo(kill.getDecisionId());
                    ActiveList.awaitState(ops, kill.getDecisionId(), null);
                    assertThat(second.metrics().decisionCount(DecisionAction.KILL_PROCESS, "ack_applied")).isEqualTo(1);

                    try (TestSensor b = TestSensor.connect(port, pki.nodeB, AckOutcome.APPLIED)) {
                        assertThat(b.next().getDecisionId()).isEqualTo(forOfflineNode.getDecisionId());
                    }
                }
            }
        }
    }

    private static Decision next(LinkedBlockingQueue<Decision> inbox) throws InterruptedException {
        Decision decision = inbox.poll(TestSensor.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(decision).as("a decision reached the sensor").isNotNull();
        return decision;
    }
}
