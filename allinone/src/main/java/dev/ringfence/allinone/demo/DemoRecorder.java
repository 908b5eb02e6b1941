package dev.ringfence.allinone.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.allinone.live.RecordHandler;
import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.EnforcementEventKind;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.StorylineStep;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Everything the pipeline said during a demo, in arrival order: alert revisions, decisions and the sensor's
 * enforcement actions, each also appended as one JSON line to {@code alerts.ndjson} (what {@code demo alerts}
 * prints from another process).
 */
final class DemoRecorder implements RecordHandler, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Seen<T>(T record, long receivedMs) {}

    private final List<Seen<Alert>> alerts = new ArrayList<>();
    private final List<Seen<Decision>> decisions = new ArrayList<>();
    /** Decision id to when the feedback service received it, and to when the sensor reported it applied (epoch ns). */
    private final Map<String, Long> receivedByFeedback = new HashMap<>();
    private final Map<String, Long> appliedBySensor = new HashMap<>();
    private final BufferedWriter file;
    private volatile Consumer<Map<String, Object>> listener = line -> {};

    DemoRecorder(Path file) throws IOException {
        this.file = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** Called with every line as it arrives (from the reader's thread). */
    void listen(Consumer<Map<String, Object>> listener) {
        this.listener = listener;
    }

    @Override
    public void alert(Alert alert) {
        synchronized (this) {
            alerts.add(new Seen<>(alert, System.currentTimeMillis()));
            notifyAll();
        }
        Map<String, Object> line = base("alert");
        line.put("alert_id", alert.getAlertId());
        line.put("revision", alert.getRevision());
        line.put("rule_id", alert.getRuleId());
        line.put("severity", alert.getSeverity().toString());
        line.put("risk_score", alert.getRiskScore());
        line.put("workload", alert.getWorkload().getWorkloadKey());
        line.put("summary", alert.getSummary());
        line.put("storyline_workloads", storylineWorkloads(alert));
        line.put("storyline", alert.getStoryline().stream().map(DemoRecorder::describe).toList());
        write(line);
    }

    @Override
    public void decision(Decision decision) {
        synchronized (this) {
            decisions.add(new Seen<>(decision, System.currentTimeMillis()));
            notifyAll();
        }
        Map<String, Object> line = base("decision");
        line.put("decision_id", decision.getDecisionId());
        line.put("action", decision.getAction().toString());
        line.put("rule_id", decision.getRuleId());
        line.put("alert_id", decision.getAlertId());
        line.put("dry_run", decision.getDryRun());
        line.put("target", target(decision));
        line.put("reason", decision.getReason());
        write(line);
    }

    /** Only what the feedback service refused or let expire: a decision that never reaches the kernel says why here. */
    @Override
    public void audit(AuditEntry entry) {
        if (entry.getKind() == AuditKind.DECISION_RECEIVED) {
            synchronized (this) {
                receivedByFeedback.putIfAbsent(entry.getDecisionId(), entry.getTimeNs());
            }
        }
        String kind = entry.getKind().toString();
        if (!kind.equals("DECISION_REFUSED") && !kind.equals("DECISION_EXPIRED")) {
            return;
        }
        Map<String, Object> line = base("audit");
        line.put("kind", kind);
        line.put("decision_id", entry.getDecisionId());
        line.put("reason", entry.getReason());
        write(line);
    }

    @Override
    public void event(Event event) {
        if (!(event.getPayload() instanceof EnforcementAction action)) {
            return;
        }
        if (action.getKind() == EnforcementEventKind.APPLIED && action.getDecisionId() != null) {
            synchronized (this) {
                appliedBySensor.putIfAbsent(action.getDecisionId(), event.getTimeNs());
            }
        }
        Map<String, Object> line = base("enforcement");
        line.put("kind", action.getKind().toString());
        line.put("action", action.getAction().toString());
        line.put("decision_id", action.getDecisionId());
        line.put("dry_run", action.getDryRun());
        line.put("workload", action.getWorkload() == null ? null : action.getWorkload().getWorkloadKey());
        line.put("binary", action.getBinary());
        line.put("pid", action.getPid());
        line.put("destination", action.getDestination() == null ? null
                : action.getDestination().getIp() + ":" + action.getDestination().getPort());
        line.put("reason", action.getReason());
        write(line);
    }

    static List<String> storylineWorkloads(Alert alert) {
        List<String> keys = new ArrayList<>();
        for (StorylineStep step : alert.getStoryline()) {
            for (String key : new String[] {step.getWorkloadKey(), step.getRemoteWorkloadKey()}) {
                if (key != null && !key.isEmpty() && !keys.contains(key)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    static String describe(StorylineStep step) {
        return step.getKind() + " " + step.getWorkloadKey() + (step.getDescription() == null ? "" : ": " + step.getDescription());
    }

    static String target(Decision decision) {
        var target = decision.getTarget();
        StringBuilder text = new StringBuilder(target.getWorkload() == null ? target.getNode() : target.getWorkload().getWorkloadKey());
        if (target.getExecId() != null) {
            text.append(" exec ").append(target.getExecId());
        }
        if (target.getBinaryPath() != null) {
            text.append(" ").append(target.getBinaryPath());
        }
        if (target.getDestinationCidr() != null) {
            text.append(" -> ").append(target.getDestinationCidr());
            if (target.getDestinationPort() != null) {
                text.append(":").append(target.getDestinationPort());
            }
        }
        return text.toString();
    }

    private Map<String, Object> base(String type) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        line.put("received_ms", System.currentTimeMillis());
        return line;
    }

    private void write(Map<String, Object> line) {
        try {
            synchronized (file) {
                file.write(JSON.writeValueAsString(line));
                file.newLine();
                file.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listener.accept(line);
    }

    synchronized List<Seen<Alert>> alerts() {
        return List.copyOf(alerts);
    }

    synchronized List<Seen<Decision>> decisions() {
        return List.copyOf(decisions);
    }

    synchronized Optional<Long> receivedByFeedbackNs(String decisionId) {
        return Optional.ofNullable(receivedByFeedback.get(decisionId));
    }

    synchronized Optional<Long> appliedBySensorNs(String decisionId) {
        return Optional.ofNullable(appliedBySensor.get(decisionId));
    }

    /**
     * Waits until an alert revision matching {@code test} arrived at or after {@code sinceMs} (true) or the time is up
     * (false): a revision from before, such as an earlier run's, is no evidence of a detection now.
     */
    synchronized boolean awaitAlert(long sinceMs, Predicate<Alert> test, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (alerts.stream().noneMatch(seen -> seen.receivedMs() >= sinceMs && test.test(seen.record()))) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        synchronized (file) {
            file.close();
        }
    }
}
