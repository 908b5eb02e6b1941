package dev.ringfence.jobs.alert;

import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.contract.StepKind;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.jobs.lineage.Flows;
import dev.ringfence.jobs.lineage.Observation;
import java.util.List;

/** Storyline steps made from observations, each with a one-line description an analyst can read. */
public final class Steps {
    private Steps() {}

    public static StorylineStep exec(Observation observation) {
        ProcessRef process = observation.process;
        return StorylineStep.newBuilder()
                .setTimeNs(observation.timeNs())
                .setKind(StepKind.PROCESS_EXEC)
                .setNode(observation.node())
                .setProcess(process)
                .setWorkloadKey(observation.workloadKey())
                .setDescription(observation.workloadKey() + " ran " + commandLine(process))
                .build();
    }

    public static StorylineStep flow(Observation observation) {
        NetworkFlow flow = observation.flow();
        boolean inbound = flow.getDirection() == FlowDirection.INBOUND;
        String peer = observation.remoteWorkloadKey() != null ? observation.remoteWorkloadKey()
                : flow.getRemote().getIp();
        String who = observation.process == null ? observation.workloadKey() : observation.workloadKey() + " "
                + observation.process.getBinary();
        String description = inbound
                ? who + " accepted " + flow.getTransport() + " from " + peer + " on port " + flow.getLocal().getPort()
                : who + (Flows.failed(flow) ? " failed to connect to " : " connected to ") + peer + ":"
                        + flow.getRemote().getPort() + " (" + flow.getTransport() + ", " + flow.getBytesSent()
                        + " bytes sent)";
        return StorylineStep.newBuilder()
                .setTimeNs(Flows.startTimeNs(observation.timeNs(), flow))
                .setKind(inbound ? StepKind.ACCEPT : StepKind.CONNECT)
                .setNode(observation.node())
                .setProcess(observation.process)
                .setWorkloadKey(observation.workloadKey())
                .setLocal(flow.getLocal())
                .setRemote(flow.getRemote())
                .setRemoteWorkloadKey(observation.remoteWorkloadKey())
                .setBytes(flow.getBytesSent())
                .setDescription(description)
                .build();
    }

    /** The connecting side of an accepted connection, as its own node reported it (see PeerJoinFunction). */
    public static StorylineStep peerConnect(Observation accepted) {
        NetworkFlow flow = accepted.flow();
        ProcessRef peer = accepted.peerProcess;
        String source = accepted.remoteWorkloadKey() != null ? accepted.remoteWorkloadKey() : flow.getRemote().getIp();
        return StorylineStep.newBuilder()
                .setTimeNs(Flows.startTimeNs(accepted.timeNs(), flow))
                .setKind(StepKind.CONNECT)
                .setNode(peer.getNode())
                .setProcess(peer)
                .setWorkloadKey(peer.getWorkloadKey())
                .setLocal(flow.getRemote())
                .setRemote(flow.getLocal())
                .setRemoteWorkloadKey(accepted.workloadKey())
                .setDescription(source + " " + commandLine(peer) + " connected to " + accepted.workloadKey() + ":"
                        + flow.getLocal().getPort())
                .build();
    }

    public static String commandLine(ProcessRef process) {
        List<String> argv = process.getArgv();
        // argv[0] is the program's own name: the binary path says it better
        return argv.size() <= 1 ? process.getBinary()
                : process.getBinary() + " " + String.join(" ", argv.subList(1, argv.size()));
    }
}
