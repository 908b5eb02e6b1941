package dev.ringfence.allinone.up;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Command-line options of {@code ./ringfence up}, validated with messages that say what to type instead. */
public record UpOptions(Path stateDir, String externalKafka, int kafkaPort, boolean json, boolean help) {
    public static final String USAGE = """
            usage: ringfence up [--state-dir DIR] [--kafka HOST:PORT | --kafka-port N] [--json]
              --state-dir DIR   where the embedded broker keeps its data (default: .ringfence/state)
              --kafka HOST:PORT use this Kafka cluster instead of starting the embedded broker
              --kafka-port N    port of the embedded broker on 127.0.0.1 (default 19092; 0 = any free port)
              --json            machine-readable progress, one JSON object per line
            """;
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5}(,[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5})*");

    public static UpOptions parse(String[] args) {
        Path stateDir = Path.of(".ringfence", "state");
        String kafka = null;
        int kafkaPort = 19092;
        boolean json = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--state-dir" -> stateDir = Path.of(value(args, ++i, "--state-dir"));
                case "--kafka" -> {
                    kafka = value(args, ++i, "--kafka");
                    if (!HOST_PORT.matcher(kafka).matches()) {
                        throw new IllegalArgumentException("--kafka wants HOST:PORT[,HOST:PORT...], got '" + kafka + "'");
                    }
                }
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, "--kafka-port"));
                case "--json" -> json = true;
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new UpOptions(stateDir, kafka, kafkaPort, json, help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending text
        }
        throw new IllegalArgumentException("--kafka-port wants a port number 0..65535, got '" + text + "'");
    }
}
