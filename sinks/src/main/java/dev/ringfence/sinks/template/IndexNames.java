package dev.ringfence.sinks.template;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Where documents go, per namespace (an environment or tenant, as in the data stream naming scheme).
 * Alerts: {@code ringfence-alerts-<namespace>-<yyyy.MM>} by month of first sight, regular indices because a
 * later revision replaces the document. Audit: the data stream {@code logs-ringfence.audit-<namespace>}.
 * Service graph: {@code ringfence-service-graph-<namespace>}, the latest state of every edge.
 */
public record IndexNames(String namespace) implements Serializable {
    public static final String DEFAULT_NAMESPACE = "default";
    public static final String ALERTS_PATTERN = "ringfence-alerts-*";
    public static final String AUDIT_PATTERN = "logs-ringfence.audit-*";
    public static final String SERVICE_GRAPH_PATTERN = "ringfence-service-graph-*";

    private static final Pattern VALID_NAMESPACE = Pattern.compile("[a-z0-9_]{1,64}");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);

    public IndexNames {
        if (namespace == null || !VALID_NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace must be 1-64 of a-z, 0-9 and _, got '" + namespace + "'");
        }
    }

    /** An alert stays in the index of the month it was first seen, so every revision finds its document. */
    public String alertsIndex(Instant firstSeen) {
        return "ringfence-alerts-" + namespace + "-" + MONTH.format(firstSeen);
    }

    public String alertsPatternOfNamespace() {
        return "ringfence-alerts-" + namespace + "-*";
    }

    public String serviceGraphIndex() {
        return "ringfence-service-graph-" + namespace;
    }

    public String auditDataStream() {
        return "logs-ringfence.audit-" + namespace;
    }
}
