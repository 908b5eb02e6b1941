package dev.ringfence.allinone.up;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Command-line options of {@code ./ringfence up}, validated with messages that say what to type instead.
 *
 * @param elasticsearch null: no Elasticsearch sink; {@link #EMBEDDED_ELASTICSEARCH}: start a node in the state
 *                      directory; otherwise the URL of an existing cluster
 * @param flink         null: the detection job runs in-process on a MiniCluster; otherwise HOST:PORT of the REST
 *                      endpoint of the Flink cluster it is submitted to
 */
public record UpOptions(Path stateDir, String externalKafka, int kafkaPort, int feedbackPort, boolean enforce,
                        Path policyFile, Path jobConfig, String elasticsearch, String flink, Duration statusInterval, boolean json,
                        boolean help) {
    public static final String EMBEDDED_ELASTICSEARCH = "embedded";
    public static final String USAGE = """
            usage: ringfence up [--state-dir DIR] [--kafka HOST:PORT | --kafka-port N] [--feedback-port N]
                                [--enforce | --policy FILE] [--job-config FILE]
                                [--elasticsearch [URL]] [--flink HOST:PORT] [--status-every SECONDS] [--json]
              --state-dir DIR        broker data, certificates, checkpoints and the alert file
                                     (default: $RINGFENCE_STATE_DIR, else .ringfence/state)
              --kafka HOST:PORT      use this Kafka cluster instead of starting the embedded broker
              --kafka-port N         port of the embedded broker on 127.0.0.1 (default 19092; 0 = any free port)
              --feedback-port N      mTLS port of the enforcement-feedback service (default 7443; 0 = any free port)
              --enforce              decisions are real (default: observe, every decision is a dry run)
              --policy FILE          the detection job's response policy (YAML or JSON) instead of the built-in one
              --job-config FILE      the detection job's settings (YAML or JSON: cluster CIDRs, detector thresholds...)
              --elasticsearch [URL]  also write alerts and the audit to Elasticsearch: an embedded node, or URL
              --status-every SECONDS how often the status line is printed (default 5)
              --json                 machine-readable output, one JSON object per line
              --flink HOST:PORT      submit the detection job to this Flink cluster (its REST endpoint) instead of
                                     running it in-process; Ctrl-C cancels it there
            """;
    private static final Pattern ONE_HOST_PORT = Pattern.compile("([A-Za-z0-9._\\-]+|\\[[0-9A-Fa-f:.]+\\]):([0-9]{1,5})");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5}(,[A-Za-z0-9._\\-\\[\\]:]+:[0-9]{1,5})*");

    /** Environment variable naming the state directory every Ringfence command on this host shares. */
    public static final String STATE_DIR_ENV = "RINGFENCE_STATE_DIR";

    public static UpOptions parse(String[] args) {
        return parse(args, System.getenv(STATE_DIR_ENV));
    }

    /** {@code stateDirFromEnvironment}: the value of {@link #STATE_DIR_ENV}, or null. */
    static UpOptions parse(String[] args, String stateDirFromEnvironment) {
        Path stateDir = stateDirFromEnvironment == null || stateDirFromEnvironment.isBlank() ? Path.of(".ringfence", "state")
                : Path.of(stateDirFromEnvironment);
        String kafka = null;
        Integer kafkaPort = null;
        int feedbackPort = 7443;
        boolean enforce = false;
        Path policy = null;
        Path jobConfig = null;
        String elasticsearch = null;
        String flink = null;
        Duration status = Duration.ofSeconds(5);
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
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, "--kafka-port"), "--kafka-port");
                case "--feedback-port" -> feedbackPort = port(value(args, ++i, "--feedback-port"), "--feedback-port");
                case "--enforce" -> enforce = true;
                case "--policy" -> policy = file(value(args, ++i, "--policy"), "--policy");
                case "--job-config" -> jobConfig = file(value(args, ++i, "--job-config"), "--job-config");
                case "--elasticsearch" -> {
                    boolean urlFollows = i + 1 < args.length && !args[i + 1].startsWith("--");
                    elasticsearch = urlFollows ? elasticsearchUrl(args[++i]) : EMBEDDED_ELASTICSEARCH;
                }
                case "--status-every" -> status = seconds(value(args, ++i, "--status-every"));
                case "--flink" -> flink = flinkRest(value(args, ++i, "--flink"));
                case "--json" -> json = true;
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        if (kafka != null && kafkaPort != null) {
            throw new IllegalArgumentException("--kafka-port is the embedded broker's port: it cannot go with --kafka");
        }
        if (enforce && policy != null) {
            throw new IllegalArgumentException("--enforce switches the built-in policy to enforce; with --policy FILE set"
                    + " 'mode: enforce' in the file instead");
        }
        return new UpOptions(stateDir, kafka, kafkaPort == null ? 19092 : kafkaPort, feedbackPort, enforce, policy,
                jobConfig, elasticsearch, flink, status, json, help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static Path file(String text, String option) {
        Path path = Path.of(text);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(option + ": no such file '" + text + "'");
        }
        return path;
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending text
        }
        throw new IllegalArgumentException(option + " wants a port number 0..65535, got '" + text + "'");
    }

    private static Duration seconds(String text) {
        try {
            int seconds = Integer.parseInt(text);
            if (seconds >= 1 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending text
        }
        throw new IllegalArgumentException("--status-every wants whole seconds 1..3600, got '" + text + "'");
    }

    /** The host of {@link #flink()} (brackets of an IPv6 literal removed), when set. */
    public String flinkHost() {
        var matcher = ONE_HOST_PORT.matcher(flink);
        matcher.matches();
        return matcher.group(1).replace("[", "").replace("]", "");
    }

    /** The port of {@link #flink()}, when set. */
    public int flinkPort() {
        var matcher = ONE_HOST_PORT.matcher(flink);
        matcher.matches();
        return Integer.parseInt(matcher.group(2));
    }

    private static String flinkRest(String text) {
        var matcher = ONE_HOST_PORT.matcher(text);
        if (matcher.matches()) {
            int port = Integer.parseInt(matcher.group(2));
            if (port >= 1 && port <= 65535) {
                return text;
            }
        }
        throw new IllegalArgumentException("--flink wants HOST:PORT of the Flink cluster's REST endpoint (e.g. jobmanager:8081),"
                + " got '" + text + "'");
    }

    private static String elasticsearchUrl(String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return text;
            }
        } catch (URISyntaxException ignored) {
            // reported below with the offending text
        }
        throw new IllegalArgumentException("--elasticsearch wants nothing (embedded node) or an http(s)://HOST:PORT URL, got '"
                + text + "'");
    }
}
