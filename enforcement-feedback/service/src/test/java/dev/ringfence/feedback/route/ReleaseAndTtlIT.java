package dev.ringfence.feedback.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.protocol.EnforcementState;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.server.FeedbackService;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.TestPki;
import dev.ringfence.feedback.testing.TestSensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The active list: entries end at their TTL or by release; dry runs are recorded, not enforced. */
class ReleaseAndTtlIT {
    @TempDir
    Path dir;

    @Test
    void releaseSendsAReleaseDecisionAndEndsTheEnforcement() throws Exception {
        TestPki pki = new TestPki(dir);
        try (FeedbackService service = FeedbackService.start(pki.config());
             EnforcementClient ops = EnforcementClient.connect("localhost:" + service.port(), pki.ops.tls());
             TestSensor a = TestSensor.connect(service.port(), pki.nodeA, AckOutcome.APPLIED)) {
            Decision isolate = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofHours(1)).build();
            ops.submit(isolate);
            a.next();
            awaitListed(ops, isolate.getDecisionId(), EnforcementState.ENFORCED);

            SubmitReply reply = ops.release(isolate.getDecisionId(), "false positive");
            assertThat(reply.getVerdict()).isEqualTo(Verdict.ACCEPTED);
            Decision release = a.next();
            assertThat(release.getAction()).isEqualTo(DecisionAction.RELEASE);
            assertThat(release.getTarget().getReleaseDecisionId()).isEqualTo(isolate.getDecisionId());
            assertThat(release.getIssuer()).isEqualTo("ops");
            assertThat(release.getDecisionId()).isEqualTo(reply.getDecisionId());
            awaitUnlisted(ops, isolate.getDecisionId());
            awaitUnlisted(ops, release.getDecisionId());

            assertThatThrownBy(() -> ops.release(isolate.getDecisionId(), "again"))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    @Test
    void enforcementLeavesTheListAtItsTtl() throws Exception {
        TestPki pki = new TestPki(dir);
        try (FeedbackService service = FeedbackService.start(pki.config());
             EnforcementClient ops = EnforcementClient.connect("localhost:" + service.port(), pki.ops.tls());
             TestSensor a = TestSensor.connect(service.port(), pki.nodeA, AckOutcome.APPLIED)) {
            Decision brief = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofMillis(600)).build();
            ops.submit(brief);
            a.next();
            awaitUnlisted(ops, brief.getDecisionId());
            assertThat(a.received()).hasSize(1);
        }
    }

    @Test
    void aDryRunDecisionIsAckedAsDryRunAndListedSo() throws Exception {
        TestPki pki = new TestPki(dir);
        try (FeedbackService service = FeedbackService.start(pki.config());
             EnforcementClient ops = EnforcementClient.connect("localhost:" + service.port(), pki.ops.tls());
             TestSensor a = TestSensor.connect(service.port(), pki.nodeA, AckOutcome.DRY_RUN)) {
            Decision rehearsal = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofHours(1)).setDryRun(true).build();
            ops.submit(rehearsal);
            assertThat(a.next().getDryRun()).isTrue();
            awaitListed(ops, rehearsal.getDecisionId(), EnforcementState.DRY_RUN);
            assertThat(service.metrics().decisionCount(DecisionAction.ISOLATE_WORKLOAD, "ack_dry_run")).isEqualTo(1);
        }
    }

    @Test
    void aServiceInDryRunModeRecordsButDeliversNothing() throws Exception {
        TestPki pki = new TestPki(dir);
        try (FeedbackService service = FeedbackService.start(pki.config().withDryRun(true));
             EnforcementClient ops = EnforcementClient.connect("localhost:" + service.port(), pki.ops.tls());
             TestSensor a = TestSensor.connect(service.port(), pki.nodeA, AckOutcome.APPLIED)) {
            Decision isolate = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofHours(1)).build();
            SubmitReply reply = ops.submit(isolate);
            assertThat(reply.getReason()).startsWith("service dry-run");
            awaitListed(ops, isolate.getDecisionId(), EnforcementState.DRY_RUN);
            // rails still apply in dry-run: what would have been refused is refused
            assertThat(ops.submit(Decisions.kill("ops", "node-a", 1).build()).getVerdict()).isEqualTo(Verdict.REFUSED);
            assertThat(a.received()).isEmpty();
            assertThat(service.metrics().decisionCount(DecisionAction.ISOLATE_WORKLOAD, "delivered")).isZero();
        }
    }

    private static EnforcementState stateOf(EnforcementClient ops, String id) {
        return ops.listActive().stream()
                .filter(active -> EnforcementClient.decisionOf(active).getDecisionId().equals(id))
                .map(active -> active.getState()).findFirst().orElse(null);
    }

    private static void awaitListed(EnforcementClient ops, String id, EnforcementState state) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (stateOf(ops, id) != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stateOf(ops, id)).isEqualTo(state);
    }

    private static void awaitUnlisted(EnforcementClient ops, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TestSensor.WAIT.toNanos();
        while (stateOf(ops, id) != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stateOf(ops, id)).as(id + " listed").isNull();
    }
}
