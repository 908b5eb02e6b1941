package dev.ringfence.feedback.testing;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.WorkloadIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Valid decisions for tests, ready to be changed in one field to make them invalid. */
public final class Decisions {
    private Decisions() {}

    public static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public static WorkloadIdentity workload(String node, String namespace, String name) {
        return WorkloadIdentity.newBuilder()
                .setNode(node)
                .setSource(IdentitySource.KUBERNETES)
                .setWorkloadKey(namespace + "/Deployment/" + name)
                .setNamespace(namespace)
                .setWorkloadKind("Deployment")
                .setWorkloadName(name)
                .build();
    }

    public static Decision.Builder kill(String issuer, String node, int pid) {
        return base(issuer, DecisionAction.KILL_PROCESS,
                DecisionTarget.newBuilder().setNode(node).setExecId(node + ":" + pid + ":123456789").build(), 0);
    }

    public static Decision.Builder isolate(String issuer, String node, String namespace, String name, Duration ttl) {
        return base(issuer, DecisionAction.ISOLATE_WORKLOAD,
                DecisionTarget.newBuilder().setNode(node).setWorkload(workload(node, namespace, name)).build(), ttl.toMillis());
    }

    public static Decision.Builder block(String issuer, String node, String namespace, String name, String cidr) {
        return base(issuer, DecisionAction.BLOCK_CONNECTION, DecisionTarget.newBuilder().setNode(node)
                .setWorkload(workload(node, namespace, name)).setDestinationCidr(cidr).setDestinationPort(5432).build(), 60_000);
    }

    private static Decision.Builder base(String issuer, DecisionAction action, DecisionTarget target, long ttlMs) {
        long now = nowNs();
        return Decision.newBuilder()
                .setDecisionId("t-" + UUID.randomUUID())
                .setIssuedNs(now)
                .setIssuer(issuer)
                .setAction(action)
                .setTarget(target)
                .setReason("test: lateral movement")
                .setTtlMs(ttlMs)
                .setExpiresNs(now + Duration.ofMinutes(5).toNanos())
                .setDryRun(false);
    }

    public static DecisionAck ack(Decision decision, AckOutcome outcome) {
        return DecisionAck.newBuilder()
                .setDecisionId(decision.getDecisionId())
                .setNode(decision.getTarget().getNode())
                .setTimeNs(nowNs())
                .setOutcome(outcome)
                .setDetail("test sensor")
                .build();
    }
}
