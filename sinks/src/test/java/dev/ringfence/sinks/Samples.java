package dev.ringfence.sinks;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.AuditEntry;
import dev.ringfence.contract.AuditKind;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.Endpoint;
import dev.ringfence.contract.IdentitySource;
import dev.ringfence.contract.ProcessRef;
import dev.ringfence.contract.ServiceEdge;
import dev.ringfence.contract.Severity;
import dev.ringfence.contract.StepKind;
import dev.ringfence.contract.StorylineStep;
import dev.ringfence.contract.TransportProtocol;
import dev.ringfence.contract.WorkloadIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic contract records: a reverse shell storyline in a Kubernetes workload, and the containment audit. */
public final class Samples {
    public static final Instant FIRST_SEEN = Instant.parse("2026-11-20T10:15:30.123456789Z");

    private Samples() {}

    public static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    public static WorkloadIdentity workload(String name) {
        return WorkloadIdentity.newBuilder()
                .setNode("node-a").setCluster("prod-eu").setSource(IdentitySource.KUBERNETES)
                .setWorkloadKey("shop/Deployment/" + name).setNamespace("shop").setPodName(name + "-7d9f-x2")
                .setPodUid("uid-" + name).setContainerId("c0ffee" + name).setContainerName(name).setImage("registry/" + name + ":1.4")
                .setLabels(Map.of("app", name, "app.kubernetes.io/part-of", "shop")).setServiceAccount(name)
                .setWorkloadKind("Deployment").setWorkloadName(name).setPodIps(List.of("10.42.0.17")).setCgroupId(4242L)
                .setCgroupPath("/kubepods/burstable/pod-" + name)
                .build();
    }

    public static ProcessRef process(String execId, String parentExecId, int pid, String binary) {
        return ProcessRef.newBuilder().setExecId(execId).setParentExecId(parentExecId).setNode("node-a").setPid(pid)
                .setBinary(binary).setArgv(List.of(binary, "-c", "id")).setStartNs(1_000_000L + pid)
                .setWorkloadKey("shop/Deployment/payments").build();
    }

    /** An alert of {@code technique} whose storyline holds the exec ids {@code <alertId>:shell}, {@code :nc}, {@code :java}. */
    public static Alert alert(String alertId, int revision, String technique, Severity severity, String workloadName, Instant firstSeen) {
        ProcessRef java = process(alertId + ":java", null, 100, "/usr/bin/java");
        ProcessRef shell = process(alertId + ":shell", java.getExecId(), 200, "/bin/sh");
        ProcessRef nc = process(alertId + ":nc", shell.getExecId(), 300, "/usr/bin/nc");
        long first = nanos(firstSeen);
        return Alert.newBuilder()
                .setAlertId(alertId).setRevision(revision).setTimeNs(first + revision * 1_000_000L)
                .setFirstSeenNs(first).setLastSeenNs(first + revision * 1_000_000L)
                .setRuleId("ringfence.reverse-shell").setRuleName("Reverse shell from a JVM")
                .setSeverity(severity).setRiskScore(80)
                .setTechniqueIds(List.of(technique)).setTechniqueNames(List.of("Technique " + technique))
                .setTactics(List.of("execution"))
                .setSummary("java spawned sh which connected out with nc (revision " + revision + ")")
                .setNode("node-a").setWorkload(workload(workloadName))
                .setProcess(nc).setParent(shell).setAncestry(List.of(shell, java))
                .setSource(new Endpoint("10.42.0.17", 43512)).setDestination(new Endpoint("203.0.113.9", 4444))
                .setDestinationWorkload(workload("ledger"))
                .setStoryline(List.of(
                        step(first, StepKind.PROCESS_EXEC, shell, null, "java ran /bin/sh"),
                        step(first + 1000, StepKind.PROCESS_EXEC, nc, null, "sh ran nc"),
                        step(first + 2000, StepKind.CONNECT, nc, new Endpoint("203.0.113.9", 4444), "nc connected out")))
                .setStorylineExecIds(List.of(java.getExecId(), shell.getExecId(), nc.getExecId()))
                .setEvidence(Map.of("parent.binary", "/usr/bin/java"))
                .build();
    }

    private static StorylineStep step(long timeNs, StepKind kind, ProcessRef process, Endpoint remote, String description) {
        return StorylineStep.newBuilder().setTimeNs(timeNs).setKind(kind).setNode("node-a").setProcess(process)
                .setWorkloadKey("shop/Deployment/payments").setRemote(remote).setDescription(description).build();
    }

    /** An edge of the live service map, last seen at {@code lastSeen}, with {@code connections} connections. */
    public static ServiceEdge edge(String source, String destination, int port, long connections, Instant lastSeen) {
        return ServiceEdge.newBuilder()
                .setEdgeId(source + "|" + destination + "|TCP|" + port).setSourceWorkloadKey(source)
                .setDestinationWorkloadKey(destination).setTransport(TransportProtocol.TCP).setPort(port)
                .setConnections(connections).setFailedConnections(1).setBytesSent(connections * 1000).setBytesReceived(connections * 4000)
                .setFirstSeenNs(nanos(FIRST_SEEN.minusSeconds(3600))).setLastSeenNs(nanos(lastSeen))
                .build();
    }

    /** The audit line of an applied (or refused) kill, with its decision and ack. */
    public static AuditEntry ackAudit(String auditId, String decisionId, Instant time, AckOutcome outcome) {
        long at = nanos(time);
        Decision decision = Decision.newBuilder()
                .setDecisionId(decisionId).setIssuedNs(at - 40_000_000L).setIssuer("jobs/reverse-shell")
                .setAction(DecisionAction.KILL_PROCESS)
                .setTarget(DecisionTarget.newBuilder().setNode("node-a").setExecId("exec-1").setWorkload(workload("payments")).build())
                .setReason("reverse shell").setAlertId("alert-1").setRuleId("ringfence.reverse-shell")
                .setExpiresNs(at + 60_000_000_000L).setDryRun(false).build();
        DecisionAck ack = DecisionAck.newBuilder().setDecisionId(decisionId).setNode("node-a").setTimeNs(at)
                .setOutcome(outcome).setDetail("SIGKILL pid 300").build();
        return AuditEntry.newBuilder().setAuditId(auditId).setTimeNs(at).setKind(AuditKind.ACK_RECEIVED)
                .setDecisionId(decisionId).setActor("CN=sensor-node-a").setDecision(decision).setAck(ack)
                .setLatencyMs(40L).build();
    }
}
