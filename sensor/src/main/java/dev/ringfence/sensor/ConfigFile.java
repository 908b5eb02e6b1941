package dev.ringfence.sensor;

import dev.ringfence.sensor.capture.EventKind;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sensor's configuration file: Java properties, one setting per line, e.g.
 * <pre>
 * node = worker-1
 * events = exec,fork,exit,flow,file,privilege,module
 * watch.cgroups = /sys/fs/cgroup/unified/system.slice/nginx.service
 * file.prefixes = /etc/shadow,/root/.ssh
 * flow.interval = 30s
 * throttle.rate = 20000
 * throttle.burst = 40000
 * </pre>
 * Unknown keys and malformed values are errors that name the key.
 */
public final class ConfigFile {
    static final Set<String> KEYS = Set.of("node", "cluster", "events", "watch.cgroups", "file.prefixes", "flow.interval",
            "throttle.rate", "throttle.burst", "queue.capacity", "ringbuf.bytes", "ringbuf.drain", "health.interval", "workload.file", "kubernetes",
            "run.dir", "spool.max.bytes", "metrics.port",
            "feedback.address", "feedback.cert", "feedback.key", "feedback.ca", "isolation.allow");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private ConfigFile() {}

    public static SensorConfig.Builder read(Path file, SensorConfig.Builder builder) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
        }
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("config file " + file + ": unknown key(s) " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).strip();
            try {
                apply(builder, key, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config file " + file + ": " + key + " = '" + value + "': " + e.getMessage(), e);
            }
        }
        return builder;
    }

    private static void apply(SensorConfig.Builder builder, String key, String value) {
        switch (key) {
            case "node" -> builder.node(value);
            case "cluster" -> builder.cluster(value);
            case "events" -> {
                EnumSet<EventKind> events = EnumSet.noneOf(EventKind.class);
                list(value).forEach(name -> events.add(EventKind.ofConfigName(name)));
                builder.events(events);
            }
            case "watch.cgroups" -> builder.watchCgroups(list(value).stream().map(Path::of).toList());
            case "file.prefixes" -> builder.filePrefixes(list(value));
            case "flow.interval" -> builder.flowInterval(duration(value));
            case "throttle.rate" -> builder.throttleRate(longValue(value));
            case "throttle.burst" -> builder.throttleBurst(longValue(value));
            case "queue.capacity" -> builder.queueCapacity(integer(value));
            case "ringbuf.bytes" -> builder.ringBufferBytes(integer(value));
            case "ringbuf.drain" -> builder.ringDrainInterval(duration(value));
            case "health.interval" -> builder.healthInterval(duration(value));
            case "workload.file" -> builder.workloadFile(Path.of(value));
            case "kubernetes" -> builder.kubernetes(bool(value));
            case "run.dir" -> builder.runDirectory(Path.of(value));
            case "spool.max.bytes" -> builder.spoolMaxBytes(longValue(value));
            case "metrics.port" -> builder.metricsPort(integer(value));
            case "feedback.address" -> builder.feedbackAddress(value);
            case "feedback.cert" -> builder.feedbackCert(Path.of(value));
            case "feedback.key" -> builder.feedbackKey(Path.of(value));
            case "feedback.ca" -> builder.feedbackCa(Path.of(value));
            case "isolation.allow" -> builder.isolationAllow(list(value));
            default -> throw new IllegalArgumentException("unknown key");
        }
    }

    /** "250ms", "30s", "5m", "1h". */
    public static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 250ms, 30s, 5m or 1h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    private static long longValue(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not an integer");
        }
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }
}
