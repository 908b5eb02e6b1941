package dev.ringfence.sensor;

import dev.ringfence.sensor.capture.EventKind;
import dev.ringfence.sensor.enforce.net.Destination;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the sensor can be told. Built with {@link #builder()}; every setter validates and
 * throws IllegalArgumentException naming the setting. {@link ConfigFile} reads the same settings.
 */
public record SensorConfig(
        String node,
        String cluster,
        Set<EventKind> events,
        List<Path> watchCgroups,
        List<String> filePrefixes,
        Duration flowInterval,
        long throttleRate,
        long throttleBurst,
        int queueCapacity,
        int ringBufferBytes,
        Duration ringDrainInterval,
        Duration healthInterval,
        Optional<Path> workloadFile,
        boolean kubernetes,
        Path runDirectory,
        long spoolMaxBytes,
        int metricsPort,
        Optional<FeedbackLink> feedback,
        List<Destination> isolationAllow) {

    public static final List<String> DEFAULT_FILE_PREFIXES = List.of("/etc/shadow", "/etc/gshadow", "/etc/sudoers",
            "/root/.ssh", "/var/run/secrets/kubernetes.io/serviceaccount", "/run/secrets/kubernetes.io/serviceaccount");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    public SensorConfig {
        events = Set.copyOf(events);
        watchCgroups = List.copyOf(watchCgroups);
        filePrefixes = List.copyOf(filePrefixes);
        isolationAllow = List.copyOf(isolationAllow);
    }

    /** True when every cgroup is watched (no selector configured). */
    public boolean watchAll() {
        return watchCgroups.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String node = defaultNode();
        private String cluster = "";
        private Set<EventKind> events = EnumSet.allOf(EventKind.class);
        private List<Path> watchCgroups = new ArrayList<>();
        private List<String> filePrefixes = new ArrayList<>(DEFAULT_FILE_PREFIXES);
        private Duration flowInterval = Duration.ofSeconds(30);
        private long throttleRate = 20_000;
        private long throttleBurst = 40_000;
        private int queueCapacity = 16_384;
        private int ringBufferBytes = 2 << 20;
        private Duration ringDrainInterval = Duration.ofMillis(5);
        private Duration healthInterval = Duration.ofSeconds(10);
        private Path workloadFile;
        private boolean kubernetes;
        private Path runDirectory = Path.of(System.getProperty("java.io.tmpdir"), "ringfence-sensor");
        private long spoolMaxBytes = 256L << 20;
        private int metricsPort;
        private String feedbackAddress;
        private Path feedbackCert;
        private Path feedbackKey;
        private Path feedbackCa;
        private List<Destination> isolationAllow = List.of();

        public Builder node(String value) {
            if (value == null || !NODE.matcher(value).matches()) {
                throw new IllegalArgumentException("node '" + value + "' must match " + NODE.pattern());
            }
            node = value;
            return this;
        }

        public Builder cluster(String value) {
            cluster = require(value, "cluster");
            return this;
        }

        public Builder events(Set<EventKind> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("events: at least one event type must be enabled");
            }
            events = EnumSet.copyOf(value);
            return this;
        }

        /** Watch only these cgroup directories (and below); none means all cgroups. */
        public Builder watchCgroups(List<Path> value) {
            for (Path cgroup : value) {
                if (!cgroup.isAbsolute()) {
                    throw new IllegalArgumentException("watch.cgroups: '" + cgroup + "' must be an absolute path of a cgroup v2 directory");
                }
            }
            watchCgroups = new ArrayList<>(value);
            return this;
        }

        public Builder filePrefixes(List<String> value) {
            for (String prefix : value) {
                if (!prefix.startsWith("/") || prefix.length() >= 128) {
                    throw new IllegalArgumentException("file.prefixes: '" + prefix + "' must be an absolute path shorter than 128 bytes");
                }
            }
            filePrefixes = new ArrayList<>(value);
            return this;
        }

        public Builder flowInterval(Duration value) {
            flowInterval = atLeast(value, Duration.ofMillis(100), "flow.interval");
            return this;
        }

        /** Events per second per cgroup the kernel lets through; 0 disables throttling. */
        public Builder throttleRate(long value) {
            if (value < 0 || value > 100_000_000) {
                throw new IllegalArgumentException("throttle.rate must be 0 (unlimited) to 100000000 events/s, got " + value);
            }
            throttleRate = value;
            return this;
        }

        /** Events a cgroup may send at once above its rate. */
        public Builder throttleBurst(long value) {
            if (value < 1 || value > 100_000_000) {
                throw new IllegalArgumentException("throttle.burst must be 1 to 100000000 events, got " + value);
            }
            throttleBurst = value;
            return this;
        }

        public Builder queueCapacity(int value) {
            if (value < 16 || value > 16_777_216) {
                throw new IllegalArgumentException("queue.capacity must be between 16 and 16777216, got " + value);
            }
            queueCapacity = value;
            return this;
        }

        /** Kernel ring buffer size: a power of two from 256 KiB to 1 GiB. */
        public Builder ringBufferBytes(int value) {
            if (value < (256 << 10) || value > (1 << 30) || Integer.bitCount(value) != 1) {
                throw new IllegalArgumentException("ringbuf.bytes must be a power of two between 262144 and 1073741824, got " + value);
            }
            ringBufferBytes = value;
            return this;
        }

        /**
         * The longest a record waits in the kernel ring before user space reads it: records are handed over without
         * waking the reader, except the first one after a quiet spell this long (see rf_submit).
         */
        public Builder ringDrainInterval(Duration value) {
            if (value == null || value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("ringbuf.drain must be between 1ms and 10s, got " + value);
            }
            ringDrainInterval = value;
            return this;
        }

        public Builder healthInterval(Duration value) {
            healthInterval = atLeast(value, Duration.ofMillis(100), "health.interval");
            return this;
        }

        public Builder workloadFile(Path value) {
            workloadFile = value;
            return this;
        }

        public Builder kubernetes(boolean value) {
            kubernetes = value;
            return this;
        }

        public Builder runDirectory(Path value) {
            runDirectory = value;
            return this;
        }

        public Builder spoolMaxBytes(long value) {
            if (value < 1 << 20) {
                throw new IllegalArgumentException("spool.max.bytes must be at least 1048576 (1 MiB), got " + value);
            }
            spoolMaxBytes = value;
            return this;
        }

        public Builder metricsPort(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("metrics port must be 0 (off) or 1..65535, got " + value);
            }
            metricsPort = value;
            return this;
        }

        public Builder feedbackAddress(String value) {
            feedbackAddress = value;
            return this;
        }

        public Builder feedbackCert(Path value) {
            feedbackCert = value;
            return this;
        }

        public Builder feedbackKey(Path value) {
            feedbackKey = value;
            return this;
        }

        /** What an isolated workload may still reach (DNS, the control plane), as {@link Destination#parse} specs. */
        public Builder isolationAllow(List<String> specs) {
            isolationAllow = specs.stream().map(Destination::parse).toList();
            return this;
        }

        public Builder feedbackCa(Path value) {
            feedbackCa = value;
            return this;
        }

        public SensorConfig build() {
            return new SensorConfig(node, cluster, events, watchCgroups, filePrefixes, flowInterval, throttleRate,
                    throttleBurst, queueCapacity, ringBufferBytes, ringDrainInterval, healthInterval, Optional.ofNullable(workloadFile), kubernetes,
                    runDirectory, spoolMaxBytes, metricsPort, feedback(), isolationAllow);
        }

        /** All four feedback settings or none: with them, the sensor enforces this node's decisions. */
        private Optional<FeedbackLink> feedback() {
            if (feedbackAddress == null && feedbackCert == null && feedbackKey == null && feedbackCa == null) {
                return Optional.empty();
            }
            if (feedbackAddress == null) {
                throw new IllegalArgumentException("feedback.cert, feedback.key and feedback.ca need feedback.address");
            }
            return Optional.of(new FeedbackLink(feedbackAddress, feedbackCert, feedbackKey, feedbackCa));
        }

        private static Duration atLeast(Duration value, Duration minimum, String name) {
            if (value == null || value.compareTo(minimum) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + minimum.toMillis() + "ms, got " + value);
            }
            return value;
        }

        private static String require(String value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        /**
         * The kernel's host name, as hostname(1) prints it, which is also the name InetAddress.getLocalHost() gave.
         * Read from the kernel because getLocalHost() then resolves that name: an agent's start would wait on the
         * name service, for as long as a node's broken DNS takes to time out.
         */
        private static String defaultNode() {
            try {
                String host = Files.readString(KERNEL_HOSTNAME).strip();
                return NODE.matcher(host).matches() ? host : "localhost";
            } catch (IOException e) {
                return "localhost";
            }
        }
    }
}
