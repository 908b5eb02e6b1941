package dev.ringfence.allinone.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.allinone.live.Records;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.EnforcementEventKind;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.contract.codec.RandomRecords;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainmentPathTest {
    private static final RandomRecords RANDOM = new RandomRecords(7);
    private static final String API = "shop/Pod/api";
    private static final long MS = 1_000_000L;
    private static final long ACTION_MS = 1_800_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void theLegsRunFromTheActionThroughTheRecordsOfTheDecisionThatContainedIt() throws Exception {
        try (DemoRecorder recorder = new DemoRecorder(dir.resolve("alerts.ndjson"))) {
            // an earlier round's decision, a dry run, another workload's decision and one the sensor did not apply
            // (refused: its process was already killed) are not this containment's
            recorder.decision(decision("earlier", API, ACTION_MS - 5_000, false));
            recorder.decision(decision("dry", API, ACTION_MS + 20, true));
            recorder.decision(decision("other", "shop/Pod/db", ACTION_MS + 25, false));
            recorder.decision(decision("refused", API, ACTION_MS + 30, false));
            recorder.audit(audit("refused", AuditKind.DECISION_RECEIVED, ACTION_MS + 31));
            recorder.event(action("refused", EnforcementEventKind.REFUSED, ACTION_MS + 33));
            recorder.decision(decision("kill", API, ACTION_MS + 40, false));
            recorder.audit(audit("kill", AuditKind.DECISION_RECEIVED, ACTION_MS + 52));
            recorder.audit(audit("kill", AuditKind.DECISION_DELIVERED, ACTION_MS + 53));
            recorder.event(action("kill", EnforcementEventKind.APPLIED, ACTION_MS + 70));
            recorder.event(action("kill", EnforcementEventKind.HIT, ACTION_MS + 90));

            ContainmentPath path = ContainmentPath.of(recorder, API, ACTION_MS + 0.4, ACTION_MS + 71.5).orElseThrow();

            assertThat(path.legs()).containsAllEntriesOf(Map.of(
                    "action_to_decision", 39.6, "decision_to_feedback", 12.0, "feedback_to_sensor", 18.0, "sensor_to_effect", 1.5));
            assertThat(path.legs().keySet()).containsExactly("action_to_decision", "decision_to_feedback", "feedback_to_sensor",
                    "sensor_to_effect");
        }
    }

    @Test
    void withoutTheSensorsReportThereIsNoPath() throws Exception {
        try (DemoRecorder recorder = new DemoRecorder(dir.resolve("alerts.ndjson"))) {
            recorder.decision(decision("kill", API, ACTION_MS + 40, false));
            recorder.audit(audit("kill", AuditKind.DECISION_RECEIVED, ACTION_MS + 52));

            assertThat(ContainmentPath.of(recorder, API, ACTION_MS, ACTION_MS + 80)).isEmpty();
        }
    }

    private static Decision decision(String id, String workloadKey, long issuedMs, boolean dryRun) {
        Decision decision = Records.decision(id, DecisionAction.KILL_PROCESS, 0, dryRun);
        decision.setRuleId("RF-EXEC-001");
        decision.setIssuedNs(issuedMs * MS);
        WorkloadIdentity workload = RANDOM.next(WorkloadIdentity.class);
        workload.setWorkloadKey(workloadKey);
        decision.getTarget().setWorkload(workload);
        return decision;
    }

    private static AuditEntry audit(String decisionId, AuditKind kind, long timeMs) {
        AuditEntry entry = Records.ack(decisionId, dev.ringfence.contract.AckOutcome.APPLIED, timeMs * MS);
        entry.setKind(kind);
        entry.setTimeNs(timeMs * MS);
        return entry;
    }

    private static Event action(String decisionId, EnforcementEventKind kind, long timeMs) {
        EnforcementAction action = RANDOM.next(EnforcementAction.class);
        action.setKind(kind);
        action.setDecisionId(decisionId);
        Event event = RANDOM.next(Event.class);
        event.setTimeNs(timeMs * MS);
        event.setPayload(action);
        return event;
    }
}
