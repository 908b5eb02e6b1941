package dev.ringfence.feedback.cli;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.audit.EpochNanos;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.feedback.protocol.ActiveDecision;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.signing.DecisionSignatures;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code contain}, {@code release} and {@code decisions}: callers of the service's API with an issuer certificate. */
final class ClientCommands {
    static final String USAGE = """
              contain <exec-id | namespace/[kind/]workload> [--node N] [--isolate] [--ttl 10m] [--dry-run]
                      [--reason TEXT] [--deliver-within 5m]
              release <decision-id> [--reason TEXT]
              decisions                          list what is enforced or awaiting an ack
                (all: [--service HOST:PORT] [--issuer NAME (default cli)] [--certs DIR | --state DIR])""";
    static final int REFUSED = 2;
    private static final Set<String> CONNECTION_OPTIONS = Set.of("--service", "--issuer", "--certs", "--state");
    private static final Duration DEFAULT_DELIVERY_WINDOW = Duration.ofMinutes(5);

    private ClientCommands() {}

    static int contain(List<String> words, PrintStream out) {
        Arguments args = Arguments.parse(words, with("--node", "--ttl", "--reason", "--deliver-within"), Set.of("--isolate", "--dry-run"));
        args.requirePositionals(1);
        String target = args.positional(0, "target (exec id or namespace/workload)");
        Duration ttl = args.value("--ttl").map(text -> Durations.parse(text, "--ttl")).orElse(null);
        Duration deliverWithin = args.value("--deliver-within").map(text -> Durations.parse(text, "--deliver-within"))
                .orElse(DEFAULT_DELIVERY_WINDOW);
        Connection connection = Connection.of(args);
        ContainRequest request = new ContainRequest(target, args.value("--node").orElse(null), args.flag("--isolate"), ttl,
                args.flag("--dry-run"), args.value("--reason").orElse("contained by " + connection.issuer.identity().name() + " from the CLI"),
                deliverWithin);
        Decision decision = request.toDecision(connection.issuer.identity().name(), EpochNanos.now(Clock.systemUTC()));
        Decision signed = DecisionSignatures.sign(decision, connection.issuer.identity().name(), connection.issuer.loadPrivateKey());
        try (EnforcementClient client = connection.client()) {
            return print(client.submit(signed), out);
        }
    }

    static int release(List<String> words, PrintStream out) {
        Arguments args = Arguments.parse(words, with("--reason"), Set.of());
        args.requirePositionals(1);
        String id = args.positional(0, "decision id to release");
        Connection connection = Connection.of(args);
        try (EnforcementClient client = connection.client()) {
            return print(client.release(id, args.value("--reason").orElse("")), out);
        }
    }

    static int decisions(List<String> words, PrintStream out) {
        Arguments args = Arguments.parse(words, CONNECTION_OPTIONS, Set.of());
        args.requirePositionals(0);
        try (EnforcementClient client = Connection.of(args).client()) {
            List<ActiveDecision> active = client.listActive();
            out.printf("%-44s %-17s %-16s %-40s %-13s %-8s %-20s%n", "DECISION", "ACTION", "NODE", "TARGET", "STATE", "DRY-RUN", "UNTIL");
            for (ActiveDecision entry : active) {
                Decision decision = EnforcementClient.decisionOf(entry);
                out.printf("%-44s %-17s %-16s %-40s %-13s %-8s %-20s%n", decision.getDecisionId(), decision.getAction(),
                        decision.getTarget().getNode(), describe(decision.getTarget()), entry.getState(), decision.getDryRun(),
                        entry.getUntilNs() == 0 ? "-" : Instant.ofEpochSecond(0, entry.getUntilNs()).toString());
            }
            out.println(active.size() + " decision(s)");
            return 0;
        }
    }

    private static String describe(DecisionTarget target) {
        if (target.getExecId() != null) {
            return "exec " + target.getExecId();
        }
        if (target.getReleaseDecisionId() != null) {
            return "release " + target.getReleaseDecisionId();
        }
        if (target.getWorkload() != null) {
            String destination = target.getDestinationCidr() == null ? "" : " -> " + target.getDestinationCidr()
                    + (target.getDestinationPort() == null ? "" : ":" + target.getDestinationPort());
            return target.getWorkload().getWorkloadKey() + destination;
        }
        return target.getBinaryPath() == null ? "-" : "binary " + target.getBinaryPath();
    }

    private static int print(SubmitReply reply, PrintStream out) {
        out.println(reply.getDecisionId() + " " + reply.getVerdict() + (reply.getReason().isEmpty() ? "" : ": " + reply.getReason()));
        return reply.getVerdict() == Verdict.REFUSED ? REFUSED : 0;
    }

    private static Set<String> with(String... options) {
        Set<String> all = new HashSet<>(CONNECTION_OPTIONS);
        all.addAll(List.of(options));
        return all;
    }

    /** The service address and the issuer certificate a client command uses. */
    private record Connection(String address, IssuedCertificate issuer) {
        static Connection of(Arguments args) {
            StateDir state = StateDir.from(args);
            Path certs = state.certs(args);
            IssuedCertificate issuer = CertificateAuthority.filesOf(certs, Role.ISSUER, args.value("--issuer").orElse("cli"));
            if (!Files.isRegularFile(issuer.certificate())) {
                throw new Arguments.UsageException("no issuer certificate " + issuer.certificate() + " (create it with: certs issuer "
                        + issuer.identity().name() + " --certs " + certs + ")");
            }
            return new Connection(state.serviceAddress(args), issuer);
        }

        EnforcementClient client() {
            return EnforcementClient.connect(address, issuer.tls());
        }
    }
}
