package dev.ringfence.feedback.rails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.feedback.testing.Decisions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SafetyRailsTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void tokensComeBackOverTheMinute() {
        SafetyRails rails = new SafetyRails(new RailsConfig(ProtectedSet.defaults(), 2, 100), clock::get);
        Decision cart = Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofMinutes(1)).build();
        assertThat(rails.refusal(cart)).isEmpty();
        assertThat(rails.refusal(cart)).isEmpty();
        assertThat(rails.refusal(cart)).get().asString().startsWith("rate limit");
        clock.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(rails.refusal(cart)).as("one token back after half a minute").isEmpty();
        assertThat(rails.refusal(cart)).isPresent();
    }

    @Test
    void killsShareTheirNodesBucket() {
        SafetyRails rails = new SafetyRails(new RailsConfig(ProtectedSet.defaults(), 1, 100), clock::get);
        assertThat(rails.refusal(Decisions.kill("ops", "node-a", 100).build())).isEmpty();
        assertThat(rails.refusal(Decisions.kill("ops", "node-a", 101).build())).get().asString().contains("node/node-a");
        assertThat(rails.refusal(Decisions.kill("ops", "node-b", 102).build())).isEmpty();
    }

    @Test
    void aRefusedDecisionSpendsNoToken() {
        SafetyRails rails = new SafetyRails(new RailsConfig(ProtectedSet.defaults(), 1, 1), clock::get);
        assertThat(rails.refusal(Decisions.kill("ops", "node-a", 1).build())).get().asString().startsWith("protected");
        assertThat(rails.refusal(Decisions.kill("ops", "node-a", 2).build())).isEmpty();
    }

    @Test
    void releasesAreNeverRefused() {
        SafetyRails rails = new SafetyRails(new RailsConfig(ProtectedSet.defaults(), 1, 1), clock::get);
        Decision release = Decisions.isolate("ops", "node-a", "kube-system", "coredns", Duration.ofMinutes(1))
                .setAction(DecisionAction.RELEASE).build();
        release.getTarget().setReleaseDecisionId("x");
        for (int i = 0; i < 5; i++) {
            assertThat(rails.refusal(release)).isEmpty();
        }
    }

    @Test
    void theProtectedSetIsConfigurableOnTopOfTheDefaults() {
        ProtectedSet set = ProtectedSet.defaults().plus(Set.of(4242), Set.of("vault"), Set.of("etcd"), Set.of("/opt/agent"));
        assertThat(set.protects(Decisions.kill("ops", "node-a", 4242).build())).isPresent();
        assertThat(set.protects(Decisions.kill("ops", "node-a", 1).build())).isPresent();
        assertThat(set.protects(Decisions.isolate("ops", "node-a", "vault", "api", Duration.ofMinutes(1)).build())).isPresent();
        assertThat(set.protects(Decisions.isolate("ops", "node-a", "db", "etcd", Duration.ofMinutes(1)).build())).isPresent();
        Decision denyAgent = Decisions.kill("ops", "node-a", 5).setAction(DecisionAction.DENY_EXEC)
                .setTarget(DecisionTarget.newBuilder().setNode("node-a").setBinaryPath("/opt/agent").build()).build();
        assertThat(set.protects(denyAgent)).get().asString().contains("/opt/agent");
        assertThat(set.protects(Decisions.isolate("ops", "node-a", "shop", "cart", Duration.ofMinutes(1)).build())).isEmpty();
    }

    @Test
    void execIdsAreParsedStrictly() {
        assertThat(ExecIds.pid("node-a:4242:99")).contains(4242);
        assertThat(ExecIds.node("node-a:4242:99")).contains("node-a");
        for (String bad : new String[] {"4242", "node-a:x:1", "node-a:0:1", ":1:1", "a:1:2:3", "node-a:99999999999:1"}) {
            assertThat(ExecIds.isValid(bad)).as(bad).isFalse();
        }
    }
}
