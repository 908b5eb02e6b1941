package dev.ringfence.allinone.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.allinone.live.Records;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.StorylineStep;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioAlertsTest {
    private final List<DemoRecorder.Seen<Alert>> seen = new ArrayList<>();
    private final ScenarioAlerts alerts = new ScenarioAlerts();

    @Test
    void aScenarioRunAgainClaimsTheRevisionOfItsEarlierRunsAlert() {
        arrives("shell-in-api", "RF-EXEC-001", 1, 1_000);
        assertThat(alerts.attribute(seen, 900, 2_000).ruleIds()).containsExactly("RF-EXEC-001");

        arrives("shell-in-api", "RF-EXEC-001", 2, 5_100);
        ScenarioAlerts.Raised again = alerts.attribute(seen, 5_000, 6_000);
        assertThat(again.ruleIds()).containsExactly("RF-EXEC-001");
        assertThat(again.alertIds()).containsExactly("shell-in-api");
    }

    @Test
    void benignTrafficsAlertRevisedDuringAScenarioStaysBenign() {
        arrives("benign", "RF-EDGE-001", 1, 500);
        arrives("benign", "RF-EDGE-001", 2, 1_100);
        arrives("attack", "RF-EXFIL-001", 1, 1_200);
        ScenarioAlerts.Raised raised = alerts.attribute(seen, 1_000, 2_000);
        assertThat(raised.alertIds()).containsExactly("attack");
        assertThat(raised.ruleIds()).containsExactly("RF-EXFIL-001");
    }

    @Test
    void revisionsOutsideTheWindowDoNotCount() {
        arrives("earlier-run", "RF-EXEC-001", 1, 1_000);
        alerts.attribute(seen, 900, 2_000);
        arrives("late", "RF-SCAN-001", 1, 9_000);
        assertThat(alerts.attribute(seen, 5_000, 6_000).alertIds()).isEmpty();
    }

    @Test
    void aChainsStorylineNamesItsWorkloads() {
        Alert chain = Records.alert("chain", 1);
        chain.setRuleId("RF-CHAIN-001");
        chain.setStoryline(List.of(StorylineStep.newBuilder().setTimeNs(1).setNode("n1").setDescription("connect")
                .setWorkloadKey("shop/Pod/frontend").setRemoteWorkloadKey("shop/Pod/db").build()));
        seen.add(new DemoRecorder.Seen<>(chain, 1_100));
        assertThat(alerts.attribute(seen, 1_000, 2_000).storyline()).containsExactly("shop/Pod/frontend", "shop/Pod/db");
    }

    private void arrives(String id, String rule, int revision, long receivedMs) {
        Alert alert = Records.alert(id, revision);
        alert.setRuleId(rule);
        seen.add(new DemoRecorder.Seen<>(alert, receivedMs));
    }
}
