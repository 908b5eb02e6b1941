package dev.ringfence.jobs.respond;

import dev.ringfence.contract.Alert;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.Endpoint;
import dev.ringfence.contract.TransportProtocol;
import dev.ringfence.contract.codec.FastCoding;
import dev.ringfence.jobs.alert.Alerts;
import dev.ringfence.jobs.state.StateTtl;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Alerts -> containment decisions, keyed by alert id, as the response policy of the alert's workload says.
 * Decision ids derive from the alert id, the action and its target: a revision that names a new process or
 * destination gives a new decision, a replay after a restart gives the same id again (applied at most once).
 */
public final class DecisionMaker extends KeyedProcessFunction<String, Alert, Decision> {
    private static final long serialVersionUID = 1L;
    private static final long ISSUED_TTL_MS = 24 * 3_600_000L;

    private final ResponsePolicy policy;
    private final String issuer;
    private transient MapState<String, Boolean> issued;
    private transient Counter enforced;
    private transient Counter dryRuns;

    public DecisionMaker(ResponsePolicy policy, String issuer) {
        this.policy = policy;
        this.issuer = issuer;
    }

    @Override
    public void open(OpenContext context) {
        Alerts.loadIdDigest();
        FastCoding.enable();
        issued = getRuntimeContext().getMapState(StateTtl.afterWrite(
                new MapStateDescriptor<>("issued", Types.STRING, Types.BOOLEAN), ISSUED_TTL_MS));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("respond");
        enforced = metrics.counter("decisionsEnforced");
        dryRuns = metrics.counter("decisionsDryRun");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Decision> out) throws Exception {
        PolicyScope scope = policy.spec.scopeFor(alert.getWorkload());
        PolicyScope.Response response = scope.responseTo(alert.getRuleId());
        if (response == null || alert.getSeverity().ordinal() < response.minSeverity.ordinal()) {
            return;
        }
        DecisionTarget target = target(alert, response.action);
        if (target == null) {
            return;
        }
        String decisionId = decisionId(alert.getAlertId(), response.action, target);
        if (issued.contains(decisionId)) {
            return;
        }
        long nowNs = System.currentTimeMillis() * 1_000_000L;
        Decision decision = Decision.newBuilder()
                .setDecisionId(decisionId)
                .setIssuedNs(nowNs)
                .setIssuer(issuer)
                .setAction(response.action)
                .setTarget(target)
                .setReason(alert.getRuleName() + ": " + alert.getSummary())
                .setAlertId(alert.getAlertId())
                .setRuleId(alert.getRuleId())
                .setTtlMs(response.ttlSeconds * 1000)
                .setExpiresNs(nowNs + policy.spec.decisionValiditySeconds * 1_000_000_000L)
                .setDryRun(!scope.enforcing())
                .build();
        issued.put(decisionId, true);
        (scope.enforcing() ? enforced : dryRuns).inc();
        out.collect(decision);
    }

    /** What the action applies to, or null when the alert does not name it (e.g. a kill without a process). */
    static DecisionTarget target(Alert alert, DecisionAction action) {
        DecisionTarget.Builder target = DecisionTarget.newBuilder().setWorkload(alert.getWorkload());
        return switch (action) {
            case KILL_PROCESS -> alert.getProcess() == null ? null
                    : target.setNode(alert.getProcess().getNode()).setExecId(alert.getProcess().getExecId())
                            .setBinaryPath(alert.getProcess().getBinary()).build();
            case BLOCK_CONNECTION -> {
                Endpoint destination = alert.getDestination();
                yield destination == null ? null : target.setNode(alert.getNode())
                        .setDestinationCidr(hostCidr(destination.getIp()))
                        .setDestinationPort(destination.getPort())
                        .setTransport(TransportProtocol.TCP).build();
            }
            case ISOLATE_WORKLOAD -> target.setNode(alert.getNode()).build();
            default -> null;
        };
    }

    static String decisionId(String alertId, DecisionAction action, DecisionTarget target) {
        String subject = alertId + "|" + action + "|" + target.getNode() + "|" + target.getExecId() + "|"
                + target.getDestinationCidr() + "|" + target.getDestinationPort();
        return UUID.nameUUIDFromBytes(subject.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String hostCidr(String ip) {
        return ip + (ip.contains(":") ? "/128" : "/32");
    }
}
