package dev.ringfence.feedback.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.protocol.EnforcementState;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.RunningService;
import dev.ringfence.feedback.testing.TestSensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The active list: entries end at their TTL or by release; dry runs are recorded, not enforced. */
class ReleaseAndTtlIT {
    @TempDir
    static Path dir;
    static RunningService running;

    @BeforeAll
    static void start() {
        running = RunningService.start(dir);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void releaseSendsAReleaseDecisionAndEndsTheEnforcement() throws Exception {
        try (TestSensor a = running.sensor(running.pki.nodeA, AckOutcome.APPLIED)) {
            Decision isolate = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofHours(1)).build();
            running.ops.submit(isolate);
            a.next();
            running.awaitState(isolate.getDecisionId(), EnforcementState.ENFORCED);

            SubmitReply reply = running.ops.release(isolate.getDecisionId(), "false positive");
            assertThat(reply.getVerdict()).isEqualTo(Verdict.ACCEPTED);
            Decision release = a.next();
            assertThat(release.getAction()).isEqualTo(DecisionAction.RELEASE);
            assertThat(release.getTarget().getReleaseDecisionId()).isEqualTo(isolate.getDecisionId());
            assertThat(release.getIssuer()).isEqualTo("ops");
            assertThat(release.getDecisionId()).isEqualTo(reply.getDecisionId());
            running.awaitState(isolate.getDecisionId(), null);
            running.awaitState(release.getDecisionId(), null);

            assertThatThrownBy(() -> running.ops.release(isolate.getDecisionId(), "again"))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        }
    }

    @Test
    void enforcementLeavesTheListAtItsTtl() throws Exception {
        try (TestSensor b = running.sensor(running.pki.nodeB, AckOutcome.APPLIED)) {
            Decision brief = Decisions.isolate("ops", "node-b", "shop", "cart", Duration.ofMillis(600)).build();
            running.ops.submit(brief);
            assertThat(b.next().getDecisionId()).isEqualTo(brief.getDecisionId());
            running.awaitState(brief.getDecisionId(), EnforcementState.ENFORCED);
            running.awaitState(brief.getDecisionId(), null);
        }
    }

    @Test
    void aDryRunDecisionIsAckedAsDryRunAndListedSo() throws Exception {
        try (TestSensor a = running.sensor(running.pki.nodeA, AckOutcome.DRY_RUN)) {
            Decision rehearsal = Decisions.isolate("ops", "node-a", "shop", "search", Duration.ofHours(1)).setDryRun(true).build();
            running.ops.submit(rehearsal);
            assertThat(a.next().getDryRun()).isTrue();
            running.awaitState(rehearsal.getDecisionId(), EnforcementState.DRY_RUN);
            assertThat(running.service.metrics().decisionCount(DecisionAction.ISOLATE_WORKLOAD, "ack_dry_run")).isEqualTo(1);
        }
    }

    @Test
    void aServiceInDryRunModeRecordsButDeliversNothing() throws Exception {
        try (RunningService dryRun = RunningService.start(dir.resolve("dry-run"), config -> config.dryRun(true));
             TestSensor a = dryRun.sensor(dryRun.pki.nodeA, AckOutcome.APPLIED)) {
            Decision isolate = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofHours(1)).build();
            assertThat(dryRun.ops.submit(isolate).getReason()).startsWith("service dry-run");
            dryRun.awaitState(isolate.getDecisionId(), EnforcementState.DRY_RUN);
            // rails still apply in dry-run: what would have been refused is refused
            assertThat(dryRun.ops.submit(Decisions.kill("ops", "node-a", 1).build()).getVerdict()).isEqualTo(Verdict.REFUSED);
            assertThat(a.received()).isEmpty();
            assertThat(dryRun.service.metrics().decisionCount(DecisionAction.ISOLATE_WORKLOAD, "delivered")).isZero();
        }
    }
}
