package dev.ringfence.jobs.ingest;

import dev.ringfence.contract.Endpoint;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.ProcessFork;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.jobs.lineage.ClusterNetworks;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the schema cannot say: the invariants the lineage and detectors rely on. */
public final class EventValidator {
    /** Compiled once: every event's exec ids are checked. */
    private static final Pattern EXEC_ID = Pattern.compile("(.+):(\\d+):(\\d+)");

    private EventValidator() {}

    /** Null when the event is usable, else what is wrong with it. */
    public static String problemWith(Event event) {
        if (event.getNode().isBlank()) {
            return "empty node";
        }
        if (event.getTimeNs() <= 0) {
            return "time_ns " + event.getTimeNs() + " is not a positive epoch time";
        }
        String node = event.getNode();
        return switch (event.getPayload()) {
            case ProcessExec exec -> firstOf(execId("exec_id", exec.getExecId(), node, exec.getPid()),
                    optionalExecId(exec.getParentExecId()), path(exec.getBinary()), workload(exec.getWorkload()));
            case ProcessFork fork -> firstOf(execId("exec_id", fork.getExecId(), node, fork.getPid()),
                    optionalExecId(fork.getParentExecId()), workload(fork.getWorkload()));
            case ProcessExit exit -> firstOf(execId("exec_id", exit.getExecId(), node, exit.getPid()),
                    workload(exit.getWorkload()));
            case NetworkFlow flow -> firstOf(flow.getFlowId().isBlank() ? "empty flow_id" : null,
                    endpoint("local", flow.getLocal()), endpoint("remote", flow.getRemote()),
                    flow.getBytesSent() < 0 || flow.getBytesReceived() < 0 ? "negative byte count" : null,
                    flow.getExecId() == null ? null : execId("exec_id", flow.getExecId(), node, -1),
                    workload(flow.getWorkload()));
            case IdentityUpdate update -> firstOf(workload(update.getWorkload()), podIps(update.getWorkload()));
            default -> null;
        };
    }

    private static String firstOf(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** "<node>:<pid>:<start_ns>", on this node, with this pid (-1: any). */
    private static String execId(String field, String execId, String node, int pid) {
        Matcher parts = EXEC_ID.matcher(execId);
        if (parts.matches() && parts.group(1).equals(node)
                && (pid < 0 || parts.group(2).equals(Integer.toString(pid)))) {
            return null;
        }
        return field + " '" + execId + "' is not <node>:<pid>:<start_ns> of node " + node
                + (pid >= 0 ? " and pid " + pid : "");
    }

    private static String optionalExecId(String execId) {
        return execId == null || EXEC_ID.matcher(execId).matches() ? null
                : "parent_exec_id '" + execId + "' is not <node>:<pid>:<start_ns>";
    }

    private static String path(String binary) {
        return binary.startsWith("/") ? null : "binary '" + binary + "' is not an absolute path";
    }

    private static String endpoint(String side, Endpoint endpoint) {
        if (!ClusterNetworks.isIpLiteral(endpoint.getIp())) {
            return side + " ip '" + endpoint.getIp() + "' is not an IP literal";
        }
        return endpoint.getPort() < 0 || endpoint.getPort() > 65_535 ? side + " port " + endpoint.getPort()
                + " out of range" : null;
    }

    private static String workload(WorkloadIdentity workload) {
        return workload.getWorkloadKey().isBlank() ? "empty workload_key" : null;
    }

    private static String podIps(WorkloadIdentity workload) {
        for (String ip : workload.getPodIps()) {
            if (!ClusterNetworks.isIpLiteral(ip)) {
                return "pod ip '" + ip + "' is not an IP literal";
            }
        }
        return null;
    }
}
