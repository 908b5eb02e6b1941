package dev.ringfence.feedback.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.RunningService;
import dev.ringfence.feedback.testing.TestSensor;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent ids, replays, stale and malformed decisions. (That refusals reach the audit topic: KafkaFeedbackIT.) */
class ReplayAndExpiryIT {
    @TempDir
    static Path dir;
    static RunningService running;
    static EnforcementClient ops;

    @BeforeAll
    static void start() {
        running = RunningService.start(dir);
        ops = running.ops;
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void theSameDecisionTwiceIsDeliveredOnce() throws Exception {
        Decision kill = Decisions.kill("ops", "node-a", 5150).build();
        Decision marker = Decisions.kill("ops", "node-a", 5151).build();
        try (TestSensor a = running.sensor(running.pki.nodeA, AckOutcome.APPLIED)) {
            assertThat(ops.submit(kill).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(ops.submit(Decision.newBuilder(kill).build()).getVerdict()).isEqualTo(Verdict.DUPLICATE);
            ops.submit(marker);
            assertThat(a.next().getDecisionId()).isEqualTo(kill.getDecisionId());
            assertThat(a.next().getDecisionId()).isEqualTo(marker.getDecisionId());
            assertThat(a.received()).hasSize(2);
        }
    }

    @Test
    void aReplayedIdWithOtherContentIsRefused() {
        Decision original = Decisions.kill("ops", "node-b", 6000).build();
        assertThat(ops.submit(original).getVerdict()).isEqualTo(Verdict.ACCEPTED);
        Decision replay = Decision.newBuilder(original).build();
        replay.getTarget().setExecId("node-b:6001:123456789");
        SubmitReply reply = ops.submit(replay);
        assertThat(reply.getVerdict()).isEqualTo(Verdict.REFUSED);
        assertThat(reply.getReason()).startsWith("replay: decision id " + original.getDecisionId());
        assertThat(running.service.metrics().decisionCount(DecisionAction.KILL_PROCESS, "refused_replay")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anExpiredDecisionIsRefused() {
        long now = Decisions.nowNs();
        Decision stale = Decisions.kill("ops", "node-a", 7000).setIssuedNs(now - 10_000_000_000L).setExpiresNs(now - 1_000_000_000L).build();
        SubmitReply reply = ops.submit(stale);
        assertThat(reply.getVerdict()).isEqualTo(Verdict.REFUSED);
        assertThat(reply.getReason()).startsWith("expired");
    }

    @Test
    void aDecisionThatExpiresWhileItsNodeIsOfflineIsNeverDelivered() throws Exception {
        long now = Decisions.nowNs();
        Decision shortLived = Decisions.kill("ops", "node-b", 8000).setExpiresNs(now + Duration.ofMillis(400).toNanos()).build();
        assertThat(ops.submit(shortLived).getVerdict()).isEqualTo(Verdict.ACCEPTED);
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (running.service.metrics().decisionCount(DecisionAction.KILL_PROCESS, "expired") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Decision fresh = Decisions.kill("ops", "node-b", 8001).build();
        ops.submit(fresh);
        try (TestSensor b = running.sensor(running.pki.nodeB, AckOutcome.APPLIED)) {
            // everything still owed to node-b arrives right after the welcome; the expired one is not among it
            while (!b.next().getDecisionId().equals(fresh.getDecisionId())) {
                assertThat(b.received()).extracting(Decision::getDecisionId).doesNotContain(shortLived.getDecisionId());
            }
            assertThat(b.received()).extracting(Decision::getDecisionId).doesNotContain(shortLived.getDecisionId());
        }
    }

    @Test
    void malformedDecisionsAreRefusedWithTheReason() {
        assertThat(ops.submit(Decisions.kill("ops", "node-a", 9000).setReason(" ").build()).getReason()).contains("reason is empty");
        Decision noExec = Decisions.kill("ops", "node-a", 9001).build();
        noExec.getTarget().setExecId("9001");
        assertThat(ops.submit(noExec).getReason()).contains("KILL_PROCESS needs target.exec_id");
        Decision otherNode = Decisions.kill("ops", "node-a", 9002).build();
        otherNode.getTarget().setExecId("node-b:9002:1");
        assertThat(ops.submit(otherNode).getReason()).contains("is on node 'node-b'");
        Decision badCidr = Decisions.block("ops", "node-a", "shop", "cart", "10.0.0.0/33").build();
        assertThat(ops.submit(badCidr).getReason()).contains("bad prefix length");
        assertThat(ops.submit(Decisions.kill("ops", "node-a", 9003).setDecisionId("no spaces allowed").build()).getVerdict())
                .isEqualTo(Verdict.REFUSED);
    }
}
