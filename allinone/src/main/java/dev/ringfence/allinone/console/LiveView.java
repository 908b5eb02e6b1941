package dev.ringfence.allinone.console;

import dev.ringfence.allinone.live.PipelineStatus;
import dev.ringfence.allinone.live.RecordHandler;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.Event;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happens while {@code up} runs: one line per alert revision, decision, sensor enforcement action and
 * refused/acked decision, plus the status line. Coloured on a terminal, plain otherwise, JSON with --json.
 */
public final class LiveView implements RecordHandler {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String CYAN = "\u001b[36m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final boolean json;
    private final boolean colour;

    public LiveView(PrintStream out, boolean json, boolean colour) {
        this.out = out;
        this.json = json;
        this.colour = colour && !json;
    }

    /** True when stdout is an interactive terminal (colour makes sense there only). */
    public static boolean stdoutIsTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void alert(Alert alert) {
        Map<String, Object> fields = fields("alert", alert.getTimeNs());
        fields.put("alert_id", alert.getAlertId());
        fields.put("revision", alert.getRevision());
        fields.put("severity", alert.getSeverity().name());
        fields.put("rule_id", alert.getRuleId());
        fields.put("node", alert.getNode());
        fields.put("workload", alert.getWorkload().getWorkloadKey());
        fields.put("summary", alert.getSummary());
        String colourOfSeverity = switch (alert.getSeverity()) {
            case CRITICAL, HIGH -> RED;
            default -> YELLOW;
        };
        emit(fields, colourOfSeverity, "ALERT    %-8s %s r%d %s [%s %s]".formatted(alert.getSeverity(), alert.getRuleId(),
                alert.getRevision(), alert.getSummary(), alert.getNode(), alert.getWorkload().getWorkloadKey()));
    }

    @Override
    public void decision(Decision decision) {
        Map<String, Object> fields = fields("decision", decision.getIssuedNs());
        fields.put("decision_id", decision.getDecisionId());
        fields.put("action", decision.getAction().name());
        fields.put("dry_run", decision.getDryRun());
        fields.put("target", target(decision.getTarget()));
        fields.put("alert_id", decision.getAlertId());
        fields.put("rule_id", decision.getRuleId());
        fields.put("ttl_ms", decision.getTtlMs());
        emit(fields, CYAN, "DECISION %-8s %s %s (%s, alert %s, id %s)".formatted(decision.getDryRun() ? "dry-run" : "enforce",
                decision.getAction(), target(decision.getTarget()), decision.getRuleId(), decision.getAlertId(),
                decision.getDecisionId()));
    }

    /** What the feedback service did with a decision: refused by its rails, expired, or acked by a sensor. */
    @Override
    public void audit(AuditEntry entry) {
        if (entry.getKind() != AuditKind.DECISION_REFUSED && entry.getKind() != AuditKind.DECISION_EXPIRED
                && entry.getKind() != AuditKind.ACK_RECEIVED) {
            return;
        }
        String outcome = entry.getAck() != null ? "ack " + entry.getAck().getOutcome() : entry.getKind().name().toLowerCase();
        String why = entry.getAck() != null && entry.getAck().getDetail() != null ? entry.getAck().getDetail()
                : entry.getReason() != null ? entry.getReason() : "";
        Map<String, Object> fields = fields("audit", entry.getTimeNs());
        fields.put("kind", entry.getKind().name());
        fields.put("decision_id", entry.getDecisionId());
        fields.put("actor", entry.getActor());
        fields.put("outcome", entry.getAck() == null ? null : entry.getAck().getOutcome().name());
        fields.put("reason", why);
        emit(fields, CYAN, "AUDIT    %s %s by %s %s".formatted(outcome, entry.getDecisionId(), entry.getActor(), why));
    }

    /** Containment the kernel actually performed, as the sensor reports it on the events topic. */
    @Override
    public void event(Event event) {
        if (!(event.getPayload() instanceof EnforcementAction action)) {
            return;
        }
        Map<String, Object> fields = fields("enforcement", event.getTimeNs());
        fields.put("node", event.getNode());
        fields.put("kind", action.getKind().name());
        fields.put("action", action.getAction().name());
        fields.put("decision_id", action.getDecisionId());
        fields.put("dry_run", action.getDryRun());
        fields.put("reason", action.getReason());
        emit(fields, RED, "CONTAIN  %s %s %s on %s: %s".formatted(action.getKind(), action.getAction(),
                action.getDryRun() ? "(dry run)" : "", event.getNode(), action.getReason()));
    }

    public void status(PipelineStatus.Snapshot status, long nowEpochNanos) {
        Map<String, Object> fields = fields("status", nowEpochNanos);
        fields.put("events", status.events());
        fields.put("events_per_s", Math.round(status.eventsPerSecond() * 10) / 10.0);
        fields.put("lost_events", status.lost());
        fields.put("throttled_events", status.throttled());
        fields.put("sensors_reporting", status.sensors());
        fields.put("alerts", status.alerts());
        fields.put("decisions", status.decisions());
        fields.put("dry_run_decisions", status.dryRunDecisions());
        fields.put("active_blocks", status.activeBlocks());
        emit(fields, DIM, "status   events %d (%.1f/s)  lost %d  throttled %d  sensors %d  alerts %d  decisions %d (%d dry run)  active blocks %d"
                .formatted(status.events(), status.eventsPerSecond(), status.lost(), status.throttled(), status.sensors(),
                        status.alerts(), status.decisions(), status.dryRunDecisions(), status.activeBlocks()));
    }

    private static Map<String, Object> fields(String type, long timeNs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type);
        fields.put("time", Instant.ofEpochSecond(0, timeNs).toString());
        return fields;
    }

    private void emit(Map<String, Object> fields, String colourCode, String text) {
        if (json) {
            out.println(JsonLines.of(fields));
        } else {
            String line = CLOCK.format(Instant.parse((String) fields.get("time"))) + " " + text;
            out.println(colour ? colourCode + line + RESET : line);
        }
        out.flush();
    }

    private static String target(DecisionTarget target) {
        StringBuilder text = new StringBuilder("node ").append(target.getNode());
        if (target.getExecId() != null) {
            text.append(" exec ").append(target.getExecId());
        }
        if (target.getWorkload() != null) {
            text.append(" workload ").append(target.getWorkload().getWorkloadKey());
        }
        if (target.getDestinationCidr() != null) {
            text.append(" to ").append(target.getDestinationCidr());
            if (target.getDestinationPort() != null) {
                text.append(':').append(target.getDestinationPort());
            }
        }
        if (target.getReleaseDecisionId() != null) {
            text.append(" releases ").append(target.getReleaseDecisionId());
        }
        return text.toString();
    }
}
