package dev.ringfence.feedback.cli;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.feedback.rails.ExecIds;
import java.time.Duration;
import java.util.UUID;

/**
 * What {@code contain} asks for, turned into a decision: an exec id means kill that process; a
 * {@code namespace/workload} (or {@code namespace/kind/workload}) means isolate that workload.
 */
record ContainRequest(String target, String node, boolean isolate, Duration ttl, boolean dryRun, String reason,
                      Duration deliverWithin) {
    static final Duration DEFAULT_ISOLATION_TTL = Duration.ofMinutes(10);
    static final String DEFAULT_KIND = "Deployment";

    Decision toDecision(String issuer, long nowEpochNs) {
        DecisionTarget.Builder targetBuilder = DecisionTarget.newBuilder();
        DecisionAction action;
        long ttlMs;
        if (ExecIds.isValid(target)) {
            if (isolate) {
                throw new Arguments.UsageException("--isolate targets a workload: name it as namespace/workload, not an exec id");
            }
            if (ttl != null) {
                throw new Arguments.UsageException("--ttl does not apply to killing a process (it is instantaneous)");
            }
            String execNode = ExecIds.node(target).orElseThrow();
            if (node != null && !node.equals(execNode)) {
                throw new Arguments.UsageException("exec " + target + " is on node " + execNode + ", not --node " + node);
            }
            targetBuilder.setNode(execNode).setExecId(target);
            action = DecisionAction.KILL_PROCESS;
            ttlMs = 0;
        } else {
            String[] parts = target.split("/", -1);
            if (parts.length < 2 || parts.length > 3 || java.util.Arrays.stream(parts).anyMatch(String::isBlank)) {
                throw new Arguments.UsageException("target must be an exec id <node>:<pid>:<start_ns> or namespace/workload "
                        + "(or namespace/kind/workload), got '" + target + "'");
            }
            if (node == null) {
                throw new Arguments.UsageException("isolating a workload needs --node (the node whose sensor enforces it)");
            }
            String namespace = parts[0];
            String kind = parts.length == 3 ? parts[1] : DEFAULT_KIND;
            String name = parts[parts.length - 1];
            targetBuilder.setNode(node).setWorkload(WorkloadIdentity.newBuilder()
                    .setNode(node)
                    .setSource(IdentitySource.KUBERNETES)
                    .setWorkloadKey(namespace + "/" + kind + "/" + name)
                    .setNamespace(namespace)
                    .setWorkloadKind(kind)
                    .setWorkloadName(name)
                    .build());
            action = DecisionAction.ISOLATE_WORKLOAD;
            ttlMs = (ttl == null ? DEFAULT_ISOLATION_TTL : ttl).toMillis();
        }
        return Decision.newBuilder()
                .setDecisionId("cli-" + UUID.randomUUID())
                .setIssuedNs(nowEpochNs)
                .setIssuer(issuer)
                .setAction(action)
                .setTarget(targetBuilder.build())
                .setReason(reason)
                .setTtlMs(ttlMs)
                .setExpiresNs(nowEpochNs + deliverWithin.toNanos())
                .setDryRun(dryRun)
                .build();
    }
}
