package dev.ringfence.embedded.kafka;

import dev.ringfence.embedded.jvm.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft) in its own JVM, from Maven Central jars, with every
 * contract topic created. For the all-in-one and for tests; production points at a Kafka cluster.
 * The data directory survives {@link #stop()} and restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CLASSPATH_RESOURCE = "/dev/ringfence/embedded/kafka-broker.classpath";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final int DEFAULT_MAX_PARTITIONS = 2;

    private final Path dataDir;
    private final BrokerConfig config;
    private final int maxPartitions;
    private ChildJvm broker;

    private EmbeddedKafka(Path dataDir, BrokerConfig config, int maxPartitions) {
        this.dataDir = dataDir;
        this.config = config;
        this.maxPartitions = maxPartitions;
    }

    /** Starts a broker on a free loopback port (or the port recorded in {@code dataDir} by an earlier run). */
    public static EmbeddedKafka launch(Path dataDir) {
        return launch(dataDir, 0, DEFAULT_MAX_PARTITIONS);
    }

    /**
     * Starts a broker on {@code port} (0: free port) and creates the contract topics with at most
     * {@code maxPartitions} partitions each.
     */
    public static EmbeddedKafka launch(Path dataDir, int port, int maxPartitions) {
        return launch(dataDir, port, maxPartitions, null);
    }

    /** As {@link #launch(Path)}, plus a listener that requires client certificates ({@link #tlsBootstrapServers()}). */
    public static EmbeddedKafka launchWithTls(Path dataDir, TlsListener tls) {
        return launch(dataDir, 0, DEFAULT_MAX_PARTITIONS, Objects.requireNonNull(tls, "tls"));
    }

    private static EmbeddedKafka launch(Path dataDir, int port, int maxPartitions, TlsListener tls) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Kafka port must be 0..65535, got " + port);
        }
        if (maxPartitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + maxPartitions);
        }
        try {
            Path absolute = dataDir.toAbsolutePath();
            EmbeddedKafka kafka = new EmbeddedKafka(absolute, BrokerConfig.loadOrCreate(absolute, port, tls), maxPartitions);
            kafka.start();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
        }
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The mutual-TLS listener of a broker started with {@link #launchWithTls}. */
    public String tlsBootstrapServers() {
        return config.tlsBootstrapServers();
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        return broker != null && broker.isAlive();
    }

    /** Starts the broker again after {@link #stop()}, on the same port with the same data. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        String classpath = ChildJvm.runtimeClasspath(CLASSPATH_RESOURCE, EmbeddedKafka.class);
        formatStorageOnce(classpath);
        broker = ChildJvm.start("kafka-broker", classpath, BrokerMain.class.getName(), jvmArgs(),
                List.of(config.file().toString()), dataDir.resolve("broker.log"));
        awaitReadyAndInstallTopics();
    }

    /** Orderly broker shutdown; data and port are kept for {@link #start()}. */
    public synchronized void stop() {
        if (broker != null) {
            broker.stop(Duration.ofSeconds(30));
            broker = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void formatStorageOnce(String classpath) {
        if (Files.exists(dataDir.resolve("kafka-logs").resolve("meta.properties"))) {
            return;
        }
        ChildJvm format = ChildJvm.start("kafka-storage-format", classpath, "kafka.tools.StorageTool", jvmArgs(),
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.file().toString()),
                dataDir.resolve("format.log"));
        int exit = format.awaitExit(Duration.ofSeconds(60));
        if (exit != 0) {
            throw new IllegalStateException("formatting Kafka storage failed (exit " + exit + "):\n" + format.logTail(20));
        }
    }

    private void awaitReadyAndInstallTopics() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (System.nanoTime() < deadline) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("Kafka broker exited during start-up:\n" + broker.logTail(30));
                }
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    TopicInstaller.ensureTopics(admin, maxPartitions);
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        }
        stop();
        throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT.toSeconds() + " s (last error: "
                + last + "); see " + dataDir.resolve("broker.log"));
    }

    private List<String> jvmArgs() {
        List<String> args = new ArrayList<>(List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + BrokerLogging.configFile(dataDir)));
        if (Runtime.version().feature() >= 24) {
            args.add("--sun-misc-unsafe-memory-access=allow");
            args.add("--enable-native-access=ALL-UNNAMED");
        }
        return args;
    }
}
