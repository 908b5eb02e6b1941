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

/** What the schema cannot say: the invariants the lineage and detectors rely on. */
public final class EventValidator {
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
        int pidColon = pidColon(execId);
        if (pidColon == node.length() && execId.startsWith(node)
                && (pid < 0 || execId.startsWith(pid + ":", pidColon + 1))) {
            return null;
        }
        return field + " '" + execId + "' is not <node>:<pid>:<start_ns> of node " + node
                + (pid >= 0 ? " and pid " + pid : "");
    }

    private static String optionalExecId(String execId) {
        return execId == null || pidColon(execId) > 0 ? null
                : "parent_exec_id '" + execId + "' is not <node>:<pid>:<start_ns>";
    }

    /**
     * Where the pid of "<node>:<pid>:<start_ns>" starts, less one: a non-empty node, then two decimal numbers; -1 when
     * the id has another shape. Parsed by hand: every event carries exec ids, and a regular expression's backtracking
     * over the node was a visible share of the job's decoding.
     */
    private static int pidColon(String execId) {
        int startColon = execId.lastIndexOf(':');
        int pidColon = startColon <= 0 ? -1 : execId.lastIndexOf(':', startColon - 1);
        return pidColon > 0 && digits(execId, pidColon + 1, startColon) && digits(execId, startColon + 1, execId.length())
                ? pidColon : -1;
    }

    private static boolean digits(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
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
