package dev.ringfence.sinks.ecs;

import dev.ringfence.contract.ServiceEdge;
import java.util.Locale;
import java.util.Map;

/** One edge of the live service map (workload A -> workload B on a port) as its latest state. */
public final class ServiceEdgeDocument {
    private ServiceEdgeDocument() {}

    public static Map<String, Object> of(ServiceEdge edge) {
        if (edge.getEdgeId().isBlank()) {
            throw new InvalidRecordException("edge_id is blank");
        }
        if (edge.getPort() < 0 || edge.getPort() > 65535) {
            throw new InvalidRecordException("port " + edge.getPort() + " of edge " + edge.getEdgeId() + " is outside 0..65535");
        }
        if (edge.getConnections() < 0 || edge.getFailedConnections() < 0 || edge.getBytesSent() < 0 || edge.getBytesReceived() < 0) {
            throw new InvalidRecordException("edge " + edge.getEdgeId() + " has a negative counter");
        }
        // @timestamp is the last sight: a time filter shows the edges active in that window
        return EcsDocument.event(EpochNanos.iso("last_seen_ns", edge.getLastSeenNs()), "state", "network", "connection",
                        "ringfence.service_graph", edge.getEdgeId())
                .put("event.start", EpochNanos.iso("first_seen_ns", edge.getFirstSeenNs()))
                .put("event.end", EpochNanos.iso("last_seen_ns", edge.getLastSeenNs()))
                .put("ringfence.edge.id", edge.getEdgeId())
                .put("ringfence.workload.key", edge.getSourceWorkloadKey())
                .put("ringfence.destination_workload.key", edge.getDestinationWorkloadKey())
                .put("network.transport", edge.getTransport().name().toLowerCase(Locale.ROOT))
                .put("destination.port", (long) edge.getPort())
                .put("ringfence.edge.connections", edge.getConnections())
                .put("ringfence.edge.failed_connections", edge.getFailedConnections())
                .put("ringfence.edge.bytes_sent", edge.getBytesSent())
                .put("ringfence.edge.bytes_received", edge.getBytesReceived())
                .toMap();
    }
}
