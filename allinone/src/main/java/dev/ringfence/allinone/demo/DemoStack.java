package dev.ringfence.allinone.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringfence.allinone.live.TopicReader;
import dev.ringfence.allinone.up.SensorScope;
import dev.ringfence.allinone.up.UpCommand;
import dev.ringfence.allinone.up.UpOptions;
import dev.ringfence.sensor.enforce.Enforcer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real pipeline ({@code up}'s stages: Kafka, certificates, detection job, feedback service, sensor) watching
 * the demo cluster, plus the cluster's benign traffic. The sensor runs as node {@code <host>-demo}, watches only
 * the demo's pods and knows them as workloads {@code shop/<pod>}; the job learns the pods' normal behaviour for
 * {@link #LEARNING_MS} (cluster network {@link DemoCluster#CLUSTER_CIDR}) before anything is judged. Every run
 * starts from empty stack state, so what the job learned last time does not leak into this one.
 */
final class DemoStack implements AutoCloseable {
    static final long LEARNING_MS = 15_000;
    static final double SCAN_THRESHOLD = 20;
    static final double SCAN_FAILED_WEIGHT = 2;
    static final long NEW_DESTINATION_MIN_BYTES = 1024 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOST_LOCK = Path.of("/run/ringfence-demo.lock");

    private final Path demoDir;
    private final PrintStream out;
    private final boolean observe;
    private final String node;
    private final List<AutoCloseable> running = new ArrayList<>();
    private volatile boolean closed;
    /** Holds the host lock: only then may it tear the demo's names down (they could be another demo's). */
    private volatile boolean owner;
    DemoCluster cluster;
    DemoRecorder recorder;
    UpCommand stack;
    long benignStartedMs;

    DemoStack(Path demoDir, PrintStream out, boolean observe) {
        this.demoDir = demoDir;
        this.out = out;
        this.observe = observe;
        this.node = SensorScope.hostNode() + "-demo";
    }

    void say(String text) {
        out.println(LocalTime.now().format(TIME) + "  " + text);
        out.flush();
    }

    /** Builds the cluster, starts the stack and the benign traffic, waits out the learning window. */
    void start() throws Exception {
        hostLock();
        Path stackDir = demoDir.resolve("stack");
        deleteTree(stackDir);
        Enforcer.removePins(Enforcer.pinDirectory(node));
        Files.createDirectories(stackDir);
        say("building the demo cluster: namespace shop (frontend, api, db, report) on " + DemoCluster.POD_CIDR
                + ", outside host " + DemoCluster.PAYMENTS_IP + " / " + DemoCluster.DROP_IP);
        cluster = DemoCluster.create(demoDir);
        running.add(cluster);
        for (DemoCluster.Pod pod : cluster.pods()) {
            say("  pod " + pod.key() + " ip " + pod.ip() + " labels " + pod.labels() + " cgroup " + pod.cgroup());
        }
        Path jobConfig = stackDir.resolve("job-config.json");
        Files.writeString(jobConfig, jobConfig(), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--state-dir", stackDir.toString(), "--kafka-port", "0", "--feedback-port", "0",
                "--job-config", jobConfig.toString()));
        if (!observe) {
            args.add("--enforce");
        }
        say("starting the pipeline (" + (observe ? "observe: decisions are dry runs" : "enforce: decisions are applied in the kernel") + ")");
        stack = new UpCommand(UpOptions.parse(args.toArray(String[]::new)), out, out,
                new SensorScope(node, List.of(DemoCluster.podsCgroup()), cluster.workloads(), false));
        running.add(stack::stop);
        if (!stack.start()) {
            throw new IllegalStateException("the pipeline did not start (see above)");
        }
        if (stack.sensor().isEmpty()) {
            throw new IllegalStateException("the sensor did not start on this host (see above): the demo needs it");
        }
        if (!observe) {
            stack.sensor().get().enforcement().orElseThrow().awaitConnected(java.time.Duration.ofSeconds(30));
        }
        recorder = new DemoRecorder(demoDir.resolve("alerts.ndjson"));
        running.add(recorder);
        TopicReader reader = TopicReader.start(stack.bootstrap(), List.of(recorder));
        running.add(reader);
        say("starting the shop's services; benign traffic: frontend -> api -> db calls, health checks, checkout -> payments"
                + " (outside), a report job every 5 s");
        cluster.startServices();
        benignStartedMs = System.currentTimeMillis();
        ScheduledExecutorService cron = Executors.newSingleThreadScheduledExecutor(runnable ->
                Thread.ofPlatform().name("demo-report-job").daemon().unstarted(runnable));
        cron.scheduleWithFixedDelay(() -> {
            try {
                cluster.runReport();
            } catch (Exception e) {
                // the next run tries again
            }
        }, 500, 5000, TimeUnit.MILLISECONDS);
        running.add(cron::shutdownNow);
    }

    /**
     * One demo per host: its names (rfd-*, the ringfence-demo cgroup) are the host's, so a second one would tear the
     * first one's cluster down. The OS releases the lock however this process ends.
     */
    private void hostLock() throws IOException {
        FileChannel channel = FileChannel.open(HOST_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            String holder = new String(Files.readAllBytes(HOST_LOCK), StandardCharsets.UTF_8).strip();
            channel.close();
            throw new IllegalStateException("another demo runs on this host (pid " + holder + "); wait for it or ./ringfence demo down");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        running.add(channel::close);
        owner = true;
    }

    void awaitLearning() throws InterruptedException {
        long wait = benignStartedMs + LEARNING_MS + 5_000 - System.currentTimeMillis();
        say("the job learns the pods' normal behaviour for " + LEARNING_MS / 1000 + " s (benign traffic keeps running)");
        if (wait > 0) {
            Thread.sleep(wait);
        }
        if (!cluster.servicesAlive()) {
            throw new IllegalStateException("a shop service stopped during warm-up; see " + cluster.logs());
        }
    }

    /** The job's settings for the demo: its cluster network, and learning windows a demo can wait out. */
    static String jobConfig() throws IOException {
        Map<String, Object> detectors = new LinkedHashMap<>();
        detectors.put("newEdge", Map.of("learningWindowMs", LEARNING_MS));
        detectors.put("unexpectedExec", Map.of("learningWindowMs", LEARNING_MS));
        detectors.put("exfiltration", Map.of("learningWindowMs", LEARNING_MS, "newDestinationMinBytes", NEW_DESTINATION_MIN_BYTES));
        detectors.put("scan", Map.of("threshold", SCAN_THRESHOLD, "failedConnectWeight", SCAN_FAILED_WEIGHT));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("jobName", "ringfence-demo");
        config.put("lineage", Map.of("clusterCidrs", List.of(DemoCluster.CLUSTER_CIDR)));
        config.put("detectors", detectors);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    }

    String node() {
        return node;
    }

    /** Stops everything in reverse order: traffic and pods, reader, the stack; removes the demo's enforcement pins. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!owner) {
            return;
        }
        say("cleaning up: pods, namespaces, cgroups, links, the pipeline");
        DemoCluster.teardown(); // the pods first, so nothing of theirs outlives a stack that is slow to stop
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                out.println("demo: stopping " + running.get(i) + " failed: " + e);
            }
        }
        DemoCluster.teardown();
        Enforcer.removePins(Enforcer.pinDirectory(node));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
