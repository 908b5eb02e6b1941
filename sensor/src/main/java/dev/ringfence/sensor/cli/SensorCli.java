package dev.ringfence.sensor.cli;

import dev.ringfence.sensor.ConfigFile;
import dev.ringfence.sensor.EventSink;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.output.StdoutSink;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.sensor.publish.KafkaPublisher;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * ringfence events --standalone -o compact|json [--duration 30s] [--config FILE] [--node NAME] [--cgroup DIR]...
 * ringfence sensor check
 * ringfence sensor run --kafka HOST:PORT [--kafka-config FILE] [--node NAME] [--config FILE] [--metrics-port N]
 *     [--feedback-address HOST:PORT --feedback-cert FILE --feedback-key FILE --feedback-ca FILE]
 */
public final class SensorCli {
    private static final String USAGE = """
            usage:
              events --standalone -o compact|json [--duration 30s] [--config FILE] [--node NAME] [--cgroup DIR]...
                  stream this node's events to stdout, no Kafka (Ctrl-C or --duration to stop)
              sensor check
                  report what this kernel supports; exit 1 when the sensor cannot run
              sensor run --kafka HOST:PORT [--kafka-config FILE] [--node NAME] [--config FILE] [--metrics-port N]
                         [--feedback-address HOST:PORT --feedback-cert FILE --feedback-key FILE --feedback-ca FILE]
                  run the sensor, publishing to Kafka; with --feedback-address, also enforce this node's decisions""";
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+:(\\d{1,5})(,[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5})*");

    private SensorCli() {}

    public static void main(String[] args) {
        try {
            LogLevel.apply(System.getenv()); // before any logger exists
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(run(List.of(args), new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.size() >= 1 && args.getFirst().equals("events")) {
                return events(args.subList(1, args.size()), out);
            }
            if (args.size() >= 2 && args.get(0).equals("sensor") && args.get(1).equals("check")) {
                Arguments.parse(args.subList(2, args.size()), Set.of(), Set.of());
                return new KernelCheck(out).run(Path.of(System.getProperty("java.io.tmpdir"), "ringfence-check")) ? 0 : 1;
            }
            if (args.size() >= 2 && args.get(0).equals("sensor") && args.get(1).equals("run")) {
                return runAgent(args.subList(2, args.size()));
            }
            throw new UsageException(args.isEmpty() ? "no command" : "unknown command '" + String.join(" ", args) + "'");
        } catch (UsageException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int events(List<String> args, PrintStream out) {
        Arguments arguments = Arguments.parse(args, Set.of("-o", "--duration", "--config", "--node", "--cgroup"), Set.of("--standalone"));
        if (!arguments.has("--standalone")) {
            throw new UsageException("events needs --standalone (streaming from Kafka is the jobs' business)");
        }
        String format = arguments.value("-o").orElse("compact");
        EventSink sink = switch (format) {
            case "compact" -> StdoutSink.compact(out);
            case "json" -> StdoutSink.json(out);
            default -> throw new UsageException("-o must be compact or json, got '" + format + "'");
        };
        Duration duration = arguments.value("--duration").map(ConfigFile::duration).orElse(null);
        SensorConfig.Builder builder = config(arguments);
        List<Path> cgroups = arguments.values("--cgroup").stream().map(Path::of).toList();
        if (!cgroups.isEmpty()) {
            builder.watchCgroups(cgroups);
        }
        return runUntilStopped(builder.build(), sink, duration);
    }

    private static int runAgent(List<String> args) {
        Arguments arguments = Arguments.parse(args, Set.of("--kafka", "--node", "--config", "--metrics-port", "--feedback-address",
                "--feedback-cert", "--feedback-key", "--feedback-ca", "--kafka-config"), Set.of());
        String kafka = arguments.value("--kafka").orElseThrow(() -> new UsageException("sensor run needs --kafka HOST:PORT"));
        if (!HOST_PORT.matcher(kafka).matches()) {
            throw new UsageException("--kafka must be HOST:PORT[,HOST:PORT...], got '" + kafka + "'");
        }
        Arrays.stream(kafka.split(",")).forEach(server -> Arguments.port("--kafka", server.substring(server.lastIndexOf(':') + 1)));
        SensorConfig.Builder builder = config(arguments);
        arguments.value("--metrics-port").ifPresent(port -> builder.metricsPort(Arguments.port("--metrics-port", port)));
        arguments.value("--feedback-address").ifPresent(builder::feedbackAddress);
        arguments.value("--feedback-cert").ifPresent(file -> builder.feedbackCert(Path.of(file)));
        arguments.value("--feedback-key").ifPresent(file -> builder.feedbackKey(Path.of(file)));
        arguments.value("--feedback-ca").ifPresent(file -> builder.feedbackCa(Path.of(file)));
        KafkaClientSecurity security = kafkaSecurity(arguments);
        SensorConfig config = builder.build();
        KafkaPublisher publisher = new KafkaPublisher(kafka, security, config.runDirectory().resolve("spool"), config.spoolMaxBytes());
        return runUntilStopped(config, publisher, null);
    }

    /** {@code --kafka-config FILE}: Kafka client security settings (TLS, SASL), validated before anything starts. */
    static KafkaClientSecurity kafkaSecurity(Arguments arguments) {
        try {
            return arguments.value("--kafka-config").map(file -> KafkaClientSecurity.load(Path.of(file))).orElse(KafkaClientSecurity.NONE);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--kafka-config: " + e.getMessage());
        }
    }

    private static SensorConfig.Builder config(Arguments arguments) {
        SensorConfig.Builder builder = SensorConfig.builder();
        arguments.value("--config").ifPresent(file -> ConfigFile.read(Path.of(file), builder));
        arguments.value("--node").ifPresent(builder::node);
        return builder;
    }

    private static int runUntilStopped(SensorConfig config, EventSink sink, Duration duration) {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown);
        Runtime.getRuntime().addShutdownHook(hook);
        try (Sensor sensor = Sensor.start(config, sink)) {
            if (duration == null) {
                stop.await();
            } else {
                stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running; the sensor was closed above
            }
        }
        return 0;
    }
}
