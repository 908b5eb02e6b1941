package dev.ringfence.feedback.cli;

import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.server.FeedbackConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code certs init | service [NAME] [--host H]... | node NODE | issuer NAME}, all with [--certs DIR | --state DIR]. */
final class CertsCommand {
    static final String USAGE = """
              certs init                         create the CA (ca.crt, ca.key 0600)
              certs service [NAME] [--host H]..  TLS certificate for the service (default name: feedback; localhost always included)
              certs node NODE                    sensor certificate naming NODE
              certs issuer NAME                  certificate allowed to submit and release decisions
                (all: [--certs DIR | --state DIR])""";

    private CertsCommand() {}

    static int run(List<String> words, PrintStream out) {
        Arguments args = Arguments.parse(words, Set.of("--certs", "--state", "--host"), Set.of());
        Path dir = StateDir.from(args).certs(args);
        String what = args.positional(0, "certs subcommand (init, service, node or issuer)");
        if (what.equals("init")) {
            args.requirePositionals(1);
            CertificateAuthority ca = CertificateAuthority.init(dir);
            out.println("CA created: " + ca.caCertificateFile() + " (key " + dir.resolve(CertificateAuthority.CA_KEY) + ", mode 0600)");
            return 0;
        }
        CertificateAuthority ca = CertificateAuthority.open(dir);
        IssuedCertificate issued = switch (what) {
            case "service" -> {
                args.requirePositionals(2);
                String name = args.positionals().size() > 1 ? args.positionals().get(1) : FeedbackConfig.DEFAULT_SERVICE_NAME;
                yield ca.issueService(name, args.values("--host"));
            }
            case "node" -> {
                args.requirePositionals(2);
                yield ca.issueNode(args.positional(1, "node name"));
            }
            case "issuer" -> {
                args.requirePositionals(2);
                yield ca.issueIssuer(args.positional(1, "issuer name"));
            }
            default -> throw new Arguments.UsageException("unknown certs subcommand '" + what + "'");
        };
        out.println("issued " + issued.identity() + ": " + issued.certificate() + " (key " + issued.privateKey() + ", mode 0600)");
        return 0;
    }
}
