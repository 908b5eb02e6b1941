package dev.ringfence.sinks;

import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.sinks.connect.ElasticsearchEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The sink job's command line, checked in full before anything starts. */
final class SinkArguments {
    static final String USAGE = """
            usage: sink --kafka HOST:PORT [--kafka-config FILE] --elasticsearch URL
                        [--api-key-file FILE | --user USER --password-file FILE] [--ca-cert FILE]
                        [--namespace NAME] [--work-dir DIR] [--checkpoint-interval-ms N]""";

    private static final Set<String> OPTIONS = Set.of("--kafka", "--kafka-config", "--elasticsearch", "--api-key-file", "--user",
            "--password-file", "--ca-cert", "--namespace", "--work-dir", "--checkpoint-interval-ms");

    private SinkArguments() {}

    /** For a main method: bad arguments print the reason and the usage to stderr and exit 2. */
    static SinkConfig parseOrExit(String... args) {
        try {
            return parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ringfence sink: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            throw e; // not reached
        }
    }

    static SinkConfig parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option '" + option + "'");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            if (values.put(option, args[++i]) != null) {
                throw new IllegalArgumentException(option + " given twice");
            }
        }
        String kafka = required(values, "--kafka");
        ElasticsearchEndpoint endpoint = ElasticsearchEndpoint.of(required(values, "--elasticsearch"),
                path(values.get("--api-key-file")), values.get("--user"), path(values.get("--password-file")),
                path(values.get("--ca-cert")));
        Path workDir = Path.of(values.getOrDefault("--work-dir", "ringfence-data/sinks"));
        SinkConfig config = SinkConfig.of(kafka, endpoint, workDir)
                .withNamespace(values.getOrDefault("--namespace", "default"));
        String kafkaConfig = values.get("--kafka-config");
        if (kafkaConfig != null) {
            config = config.withKafkaSecurity(KafkaClientSecurity.load(Path.of(kafkaConfig)));
        }
        String interval = values.get("--checkpoint-interval-ms");
        if (interval != null) {
            try {
                config = config.withCheckpointInterval(Duration.ofMillis(Long.parseLong(interval)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--checkpoint-interval-ms must be a number, got '" + interval + "'");
            }
        }
        return config;
    }

    private static String required(Map<String, String> values, String option) {
        String value = values.get(option);
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return value;
    }

    private static Path path(String value) {
        return value == null ? null : Path.of(value);
    }
}
