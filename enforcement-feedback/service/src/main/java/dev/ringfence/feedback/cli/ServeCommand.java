package dev.ringfence.feedback.cli;

import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.feedback.rails.ProtectedSet;
import dev.ringfence.feedback.rails.RailsConfig;
import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code feedback serve}: runs the service until the process is stopped. */
final class ServeCommand {
    static final String USAGE = """
              feedback serve [--kafka HOST:PORT [--kafka-config FILE]] [--sensor-daemonset NAMESPACE/NAME] [--certs DIR | --state DIR] [--port N] [--name SERVICE]
                             [--metrics-port N] [--dry-run] [--require-signed] [--retry 2s] [--recovery-window 7d]
                             [--rate-per-workload N] [--rate-global N]
                             [--protect-pid N].. [--protect-namespace NS].. [--protect-workload NAME].. [--protect-binary PATH]..
                (without --kafka: no decisions topic, audit to the log)""";

    private ServeCommand() {}

    static int run(List<String> words, PrintStream out) throws InterruptedException {
        Arguments args = Arguments.parse(words,
                Set.of("--kafka", "--kafka-config", "--sensor-daemonset", "--certs", "--state", "--port", "--name", "--metrics-port", "--retry", "--recovery-window", "--rate-per-workload",
                        "--rate-global", "--protect-pid", "--protect-namespace", "--protect-workload", "--protect-binary"),
                Set.of("--dry-run", "--require-signed"));
        String sub = args.positional(0, "feedback subcommand (serve)");
        if (!sub.equals("serve")) {
            throw new Arguments.UsageException("unknown feedback subcommand '" + sub + "'");
        }
        args.requirePositionals(1);
        StateDir state = StateDir.from(args);
        FeedbackConfig config = config(args, state);
        FeedbackService service = FeedbackService.start(config);
        String address = "localhost:" + service.port();
        state.recordAddress(address);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            state.forgetAddress(address);
            stopped.countDown();
        }, "feedback-shutdown"));
        out.println("enforcement-feedback serving on port " + service.port()
                + (service.metricsPort() >= 0 ? ", metrics on port " + service.metricsPort() : ""));
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code --kafka-config FILE}: TLS/SASL settings for every Kafka client of the service, validated here. */
    static KafkaClientSecurity kafkaSecurity(Arguments args) {
        try {
            return args.value("--kafka-config").map(file -> KafkaClientSecurity.load(Path.of(file))).orElse(KafkaClientSecurity.NONE);
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException("--kafka-config: " + e.getMessage());
        }
    }

    static FeedbackConfig config(Arguments args, StateDir state) {
        Set<Integer> pids = new HashSet<>();
        for (String pid : args.values("--protect-pid")) {
            try {
                pids.add(Integer.parseInt(pid));
            } catch (NumberFormatException e) {
                throw new Arguments.UsageException("--protect-pid must be a number, got '" + pid + "'");
            }
        }
        ProtectedSet protectedSet = ProtectedSet.defaults().plus(pids, Set.copyOf(args.values("--protect-namespace")),
                Set.copyOf(args.values("--protect-workload")), Set.copyOf(args.values("--protect-binary")));
        RailsConfig rails = new RailsConfig(protectedSet,
                args.intValue("--rate-per-workload", RailsConfig.DEFAULT_PER_WORKLOAD_PER_MINUTE, 1, 1_000_000),
                args.intValue("--rate-global", RailsConfig.DEFAULT_GLOBAL_PER_MINUTE, 1, 1_000_000));
        FeedbackConfig.Builder config = FeedbackConfig.builder(state.certs(args))
                .port(args.intValue("--port", FeedbackConfig.DEFAULT_PORT, 0, 65535))
                .kafka(args.value("--kafka").orElse(null))
                .kafkaSecurity(kafkaSecurity(args))
                .rails(rails)
                .dryRun(args.flag("--dry-run"))
                .requireSignedFromKafka(args.flag("--require-signed"))
                .metricsPort(args.intValue("--metrics-port", -1, -1, 65535));
        args.value("--retry").ifPresent(text -> config.retryInterval(Durations.parse(text, "--retry")));
        args.value("--recovery-window").ifPresent(text -> config.recoveryWindow(Durations.parse(text, "--recovery-window")));
        args.value("--name").ifPresent(config::serviceName);
        args.value("--sensor-daemonset").ifPresent(config::sensorDaemonSet);
        return config.build();
    }
}
