package dev.ringfence.allinone.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EnforcementSelfCheckTest {
    @Test
    void theCanaryDecisionIsAnEnforcedKillOfThatProcessOnThisNode() {
        Decision decision = EnforcementSelfCheck.killDecision("node-a", 4242, 1_000_000_123L);

        assertThat(decision.getAction()).isEqualTo(DecisionAction.KILL_PROCESS);
        assertThat(decision.getDryRun()).as("a dry run would prove nothing").isFalse();
        assertThat(decision.getTarget().getNode()).isEqualTo("node-a");
        assertThat(decision.getTarget().getExecId()).isEqualTo("node-a:4242:1000000123");
        assertThat(decision.getIssuer()).isEqualTo(Certificates.CLI_ISSUER);
        assertThat(decision.getExpiresNs()).isGreaterThan(decision.getIssuedNs());
    }

    @Test
    void aDecisionNoBrokerTakesFailsWithTheTopicNamed() throws IOException {
        Duration timeout = Duration.ofSeconds(1);
        Decision decision = EnforcementSelfCheck.killDecision("node-a", 4242, 1_000_000_123L);
        try (var producer = EnforcementSelfCheck.producer("127.0.0.1:" + closedPort(), timeout)) {
            assertThatThrownBy(() -> EnforcementSelfCheck.publish(producer, decision, timeout))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("could not write the decision to ringfence.decisions: ");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
