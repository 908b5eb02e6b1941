package dev.ringfence.sinks.ecs;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Endpoint;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.StorylineStep;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An alert as an ECS document: one document per alert, replaced by each later revision. */
public final class AlertDocument {
    public static final String THREAT_FRAMEWORK = "MITRE ATT&CK";

    private AlertDocument() {}

    /** The document for {@code alert}; {@link InvalidRecordException} says why an alert cannot be one. */
    public static Map<String, Object> of(Alert alert) {
        require(!alert.getAlertId().isBlank(), "alert_id is blank");
        require(alert.getRevision() >= 1, "revision " + alert.getRevision() + " of alert " + alert.getAlertId() + " is below 1");
        require(alert.getRiskScore() >= 0 && alert.getRiskScore() <= 100,
                "risk_score " + alert.getRiskScore() + " of alert " + alert.getAlertId() + " is outside 0..100");
        require(alert.getFirstSeenNs() <= alert.getLastSeenNs(), "first_seen_ns is after last_seen_ns in alert " + alert.getAlertId());

        EcsDocument document = EcsDocument.event(EpochNanos.iso("first_seen_ns", alert.getFirstSeenNs()), "alert",
                        "intrusion_detection", "info", "ringfence.alerts", alert.getAlertId())
                .put("message", alert.getSummary())
                .put("event.severity", severityNumber(alert.getSeverity()))
                .put("event.risk_score", (long) alert.getRiskScore())
                .put("event.start", EpochNanos.iso("first_seen_ns", alert.getFirstSeenNs()))
                .put("event.end", EpochNanos.iso("last_seen_ns", alert.getLastSeenNs()))
                .put("rule.id", alert.getRuleId())
                .put("rule.name", alert.getRuleName())
                .put("threat.framework", THREAT_FRAMEWORK)
                .put("threat.technique.id", alert.getTechniqueIds())
                .put("threat.technique.name", alert.getTechniqueNames())
                .put("threat.tactic.name", alert.getTactics())
                .put("ringfence.alert.id", alert.getAlertId())
                .put("ringfence.alert.revision", (long) alert.getRevision())
                .put("ringfence.alert.updated", EpochNanos.iso("time_ns", alert.getTimeNs()))
                .put("ringfence.alert.severity", alert.getSeverity().name())
                .put("ringfence.alert.node", alert.getNode())
                .put("ringfence.evidence", alert.getEvidence());
        WorkloadFields.putOwner(document, alert.getWorkload());
        ProcessFields.put(document, "process", alert.getProcess());
        ProcessFields.put(document, "process.parent", alert.getParent());
        for (ProcessRef ancestor : alert.getAncestry()) {
            document.add("ringfence.ancestry", ProcessFields.element(ancestor));
        }
        putEndpoint(document, "source", alert.getSource());
        putEndpoint(document, "destination", alert.getDestination());
        if (alert.getDestinationWorkload() != null) {
            WorkloadFields.putKeys(document, "ringfence.destination_workload", alert.getDestinationWorkload());
        }
        putStoryline(document, alert);
        return document.toMap();
    }

    /** The ECS numeric severity (the scale Elastic Security uses for low/medium/high/critical). */
    static long severityNumber(Severity severity) {
        return switch (severity) {
            case LOW -> 21;
            case MEDIUM -> 47;
            case HIGH -> 73;
            case CRITICAL -> 99;
        };
    }

    private static void putStoryline(EcsDocument document, Alert alert) {
        Set<String> execIds = new LinkedHashSet<>(alert.getStorylineExecIds());
        for (ProcessRef process : processesOf(alert)) {
            execIds.add(process.getExecId());
        }
        for (StorylineStep step : alert.getStoryline()) {
            EcsDocument element = new EcsDocument()
                    .put("time", EpochNanos.iso("storyline time_ns", step.getTimeNs()))
                    .put("kind", step.getKind().name())
                    .put("node", step.getNode())
                    .put("workload_key", step.getWorkloadKey())
                    .put("remote_workload_key", step.getRemoteWorkloadKey())
                    .put("bytes", step.getBytes())
                    .put("description", step.getDescription());
            if (step.getProcess() != null) {
                ProcessFields.put(element, "process", step.getProcess());
                element.put("process.parent_entity_id", step.getProcess().getParentExecId());
                execIds.add(step.getProcess().getExecId());
            }
            putEndpoint(element, "local", step.getLocal());
            putEndpoint(element, "remote", step.getRemote());
            document.add("ringfence.storyline.steps", element);
        }
        document.put("ringfence.storyline.exec_ids", List.copyOf(execIds))
                .put("ringfence.storyline.length", (long) alert.getStoryline().size());
    }

    private static List<ProcessRef> processesOf(Alert alert) {
        List<ProcessRef> processes = new java.util.ArrayList<>(alert.getAncestry());
        if (alert.getProcess() != null) {
            processes.add(alert.getProcess());
        }
        if (alert.getParent() != null) {
            processes.add(alert.getParent());
        }
        return processes;
    }

    static void putEndpoint(EcsDocument document, String prefix, Endpoint endpoint) {
        if (endpoint != null) {
            // the ip field's type checks the text: a malformed address is rejected by the mapping and dead-lettered
            document.put(prefix + ".ip", endpoint.getIp()).put(prefix + ".port", (long) endpoint.getPort());
        }
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new InvalidRecordException(reason);
        }
    }
}
