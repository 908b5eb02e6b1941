package dev.ringfence.feedback.rails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.RunningService;
import dev.ringfence.feedback.testing.TestSensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service refuses what the rails forbid, and the sensor never sees it. */
class SafetyRailsIT {
    @TempDir
    Path dir;

    @Test
    void theProtectedSetIsNeverKilledOrCutOff() throws Exception {
        RailsConfig rails = new RailsConfig(ProtectedSet.defaults().plus(Set.of(), Set.of("payments-prod"), Set.of(), Set.of()), 100, 1000);
        try (RunningService running = RunningService.start(dir, config -> config.rails(rails));
             TestSensor a = running.sensor(running.pki.nodeA, AckOutcome.APPLIED)) {
            EnforcementClient ops = running.ops;
            List<Decision> forbidden = List.of(
                    Decisions.kill("ops", "node-a", 1).build(),
                    Decisions.isolate("ops", "node-a", "kube-system", "coredns", Duration.ofMinutes(5)).build(),
                    Decisions.isolate("ops", "node-a", "default", "kubelet", Duration.ofMinutes(5)).build(),
                    Decisions.block("ops", "node-a", "default", "ringfence-sensor", "10.0.0.1").build(),
                    Decisions.block("ops", "node-a", "payments-prod", "ledger", "10.0.0.1").build(),
                    Decisions.kill("ops", "node-a", 4242).setAction(DecisionAction.DENY_EXEC)
                            .setTarget(DecisionTarget.newBuilder().setNode("node-a").setBinaryPath("/usr/bin/containerd").build()).build());
            for (Decision decision : forbidden) {
                SubmitReply reply = ops.submit(decision);
                assertThat(reply.getVerdict()).as(decision.getTarget().toString()).isEqualTo(Verdict.REFUSED);
                assertThat(reply.getReason()).startsWith("protected: ");
            }
            Decision allowed = Decisions.kill("ops", "node-a", 4242).build();
            assertThat(ops.submit(allowed).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(a.next().getDecisionId()).isEqualTo(allowed.getDecisionId());
            assertThat(a.received()).hasSize(1);
        }
    }

    @Test
    void rateLimitsRefuseAStormPerWorkloadAndInTotal() throws Exception {
        try (RunningService running = RunningService.start(dir, config -> config.rails(new RailsConfig(ProtectedSet.defaults(), 2, 5)))) {
            EnforcementClient ops = running.ops;
            List<Verdict> cart = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cart.add(ops.submit(Decisions.block("ops", "node-a", "shop", "cart", "10.1.0." + i).build()).getVerdict());
            }
            assertThat(cart).containsExactly(Verdict.ACCEPTED, Verdict.ACCEPTED, Verdict.REFUSED);
            SubmitReply third = ops.submit(Decisions.block("ops", "node-a", "shop", "cart", "10.1.0.9").build());
            assertThat(third.getReason()).contains("rate limit").contains("shop/Deployment/cart");

            // other workloads still get through until the global budget (5) is spent
            assertThat(ops.submit(Decisions.block("ops", "node-a", "shop", "search", "10.2.0.1").build()).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(ops.submit(Decisions.block("ops", "node-a", "shop", "search", "10.2.0.2").build()).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(ops.submit(Decisions.block("ops", "node-b", "shop", "auth", "10.3.0.1").build()).getVerdict()).isEqualTo(Verdict.ACCEPTED);
            SubmitReply overGlobal = ops.submit(Decisions.block("ops", "node-b", "shop", "auth", "10.3.0.2").build());
            assertThat(overGlobal.getVerdict()).isEqualTo(Verdict.REFUSED);
            assertThat(overGlobal.getReason()).contains("in total");
            assertThat(running.service.metrics().decisionCount(DecisionAction.BLOCK_CONNECTION, "refused_rate_limit")).isEqualTo(3);
        }
    }
}
