package dev.ringfence.feedback.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContainRequestTest {
    private static final long NOW = 1_700_000_000_000_000_000L;
    private static final Duration WINDOW = Duration.ofMinutes(5);

    @Test
    void anExecIdMeansKillThatProcessOnItsNode() {
        Decision kill = new ContainRequest("node-a:4242:77", null, false, null, false, "why", WINDOW).toDecision("cli", NOW);
        assertThat(kill.getAction()).isEqualTo(DecisionAction.KILL_PROCESS);
        assertThat(kill.getTarget().getNode()).isEqualTo("node-a");
        assertThat(kill.getTtlMs()).isZero();
        assertThat(kill.getExpiresNs()).isEqualTo(NOW + WINDOW.toNanos());
        assertThat(kill.getDryRun()).isFalse();
        assertThat(kill.getIssuer()).isEqualTo("cli");
    }

    @Test
    void aWorkloadMeansIsolateItForTheTtl() {
        Decision isolate = new ContainRequest("shop/StatefulSet/db", "node-b", true, Duration.ofMinutes(3), true, "why", WINDOW)
                .toDecision("cli", NOW);
        assertThat(isolate.getAction()).isEqualTo(DecisionAction.ISOLATE_WORKLOAD);
        assertThat(isolate.getTtlMs()).isEqualTo(180_000);
        assertThat(isolate.getDryRun()).isTrue();
        assertThat(isolate.getTarget().getWorkload().getWorkloadKey()).isEqualTo("shop/StatefulSet/db");
        Decision defaults = new ContainRequest("shop/cart", "node-b", false, null, false, "why", WINDOW).toDecision("cli", NOW);
        assertThat(defaults.getTtlMs()).isEqualTo(ContainRequest.DEFAULT_ISOLATION_TTL.toMillis());
        assertThat(defaults.getTarget().getWorkload().getWorkloadKind()).isEqualTo("Deployment");
    }

    @Test
    void contradictionsAreUsageErrors() {
        assertThatThrownBy(() -> new ContainRequest("node-a:1:1", null, true, null, false, "r", WINDOW).toDecision("cli", NOW))
                .hasMessageContaining("--isolate targets a workload");
        assertThatThrownBy(() -> new ContainRequest("node-a:1:1", "node-b", false, null, false, "r", WINDOW).toDecision("cli", NOW))
                .hasMessageContaining("is on node node-a");
        assertThatThrownBy(() -> new ContainRequest("shop/cart", null, true, null, false, "r", WINDOW).toDecision("cli", NOW))
                .hasMessageContaining("needs --node");
        assertThatThrownBy(() -> new ContainRequest("cart", "node-a", true, null, false, "r", WINDOW).toDecision("cli", NOW))
                .hasMessageContaining("namespace/workload");
    }

    @Test
    void durationsAreReadAsPeopleWriteThem() {
        assertThat(Durations.parse("10m", "--ttl")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("500ms", "--ttl")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1d", "--ttl")).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> Durations.parse("0s", "--ttl")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> Durations.parse("10 minutes", "--ttl")).hasMessageContaining("--ttl must look like");
    }
}
