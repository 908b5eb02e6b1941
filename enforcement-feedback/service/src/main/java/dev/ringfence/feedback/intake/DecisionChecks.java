package dev.ringfence.feedback.intake;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.feedback.ca.CertificateNames;
import dev.ringfence.feedback.rails.ExecIds;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/** Structural checks of a decision: each action names what it needs, in a form the sensor can apply. */
final class DecisionChecks {
    private static final Pattern DECISION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    private DecisionChecks() {}

    static boolean hasUsableId(Decision decision) {
        return decision.getDecisionId() != null && DECISION_ID.matcher(decision.getDecisionId()).matches();
    }

    /** What is wrong with the decision, or empty. */
    static Optional<String> problem(Decision decision) {
        DecisionTarget target = decision.getTarget();
        if (!CertificateNames.isValid(target.getNode())) {
            return Optional.of("target.node '" + target.getNode() + "' is not a node name");
        }
        if (decision.getIssuer().isBlank()) {
            return Optional.of("issuer is empty");
        }
        if (decision.getReason().isBlank()) {
            return Optional.of("reason is empty: say why, for the people reading the audit trail");
        }
        if (decision.getTtlMs() < 0) {
            return Optional.of("ttl_ms is negative: " + decision.getTtlMs());
        }
        if (decision.getExpiresNs() <= decision.getIssuedNs()) {
            return Optional.of("expires_ns is not after issued_ns");
        }
        if (target.getWorkload() != null && !target.getNode().equals(target.getWorkload().getNode())) {
            return Optional.of("target.workload is on node '" + target.getWorkload().getNode()
                    + "', not on target.node '" + target.getNode() + "'");
        }
        return switch (decision.getAction()) {
            case KILL_PROCESS -> execTarget(target);
            case BLOCK_CONNECTION -> target.getWorkload() == null
                    ? Optional.of("BLOCK_CONNECTION needs target.workload")
                    : destination(target);
            case ISOLATE_WORKLOAD -> target.getWorkload() == null
                    ? Optional.of("ISOLATE_WORKLOAD needs target.workload") : Optional.empty();
            case DENY_EXEC -> target.getBinaryPath() == null || !target.getBinaryPath().startsWith("/")
                    ? Optional.of("DENY_EXEC needs an absolute target.binary_path") : Optional.empty();
            case RELEASE -> target.getReleaseDecisionId() == null || !DECISION_ID.matcher(target.getReleaseDecisionId()).matches()
                    ? Optional.of("RELEASE needs target.release_decision_id") : Optional.empty();
        };
    }

    private static Optional<String> execTarget(DecisionTarget target) {
        if (!ExecIds.isValid(target.getExecId())) {
            return Optional.of("KILL_PROCESS needs target.exec_id as <node>:<pid>:<start_ns>, got '" + target.getExecId() + "'");
        }
        String execNode = ExecIds.node(target.getExecId()).orElseThrow();
        return execNode.equals(target.getNode()) ? Optional.empty()
                : Optional.of("exec " + target.getExecId() + " is on node '" + execNode + "', not on target.node '" + target.getNode() + "'");
    }

    private static Optional<String> destination(DecisionTarget target) {
        String cidr = target.getDestinationCidr();
        if (cidr == null) {
            return Optional.of("BLOCK_CONNECTION needs target.destination_cidr");
        }
        String[] parts = cidr.split("/", -1);
        try {
            InetAddress address = InetAddress.ofLiteral(parts[0]);
            int maxBits = address.getAddress().length * 8;
            if (parts.length > 2 || (parts.length == 2 && !(parts[1].matches("\\d{1,3}") && Integer.parseInt(parts[1]) <= maxBits))) {
                return Optional.of("destination_cidr '" + cidr + "' has a bad prefix length (0.." + maxBits + ")");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("destination_cidr '" + cidr + "' is not an IP address or CIDR");
        }
        Integer port = target.getDestinationPort();
        if (port != null && (port < 1 || port > 65535)) {
            return Optional.of("destination_port " + port + " is outside 1..65535");
        }
        return Optional.empty();
    }
}
