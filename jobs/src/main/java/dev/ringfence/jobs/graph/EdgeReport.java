package dev.ringfence.jobs.graph;

import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.TransportProtocol;
import dev.ringfence.jobs.lineage.Flows;
import dev.ringfence.jobs.lineage.Observation;

/**
 * What the service graph reads of an outbound flow report, projected before the shuffle: the edge and what the
 * report adds to its counts, not the whole event with its process ancestry.
 */
public final class EdgeReport {
    public String sourceWorkloadKey;
    public String destinationWorkloadKey;
    public TransportProtocol transport;
    public int port;
    public long timeNs;
    /** The flow's first report: its connection counts once. */
    public boolean firstReport;
    public boolean failed;
    public long bytesSentDelta;
    public long bytesReceivedDelta;

    public EdgeReport() {}

    /** The report of an observation that {@link ServiceGraphFunction#isEdge} accepts. */
    public static EdgeReport of(Observation observation) {
        NetworkFlow flow = observation.flow();
        EdgeReport report = new EdgeReport();
        report.sourceWorkloadKey = observation.workloadKey();
        report.destinationWorkloadKey = observation.remoteWorkloadKey();
        report.transport = flow.getTransport();
        report.port = flow.getRemote().getPort();
        report.timeNs = observation.timeNs();
        report.firstReport = observation.firstReport;
        report.failed = Flows.failed(flow);
        report.bytesSentDelta = observation.bytesSentDelta;
        report.bytesReceivedDelta = observation.bytesReceivedDelta;
        return report;
    }

    /** {@code source|destination|transport|port}, the service edge's id. */
    public String edgeId() {
        return sourceWorkloadKey + "|" + destinationWorkloadKey + "|" + transport + "|" + port;
    }
}
