package dev.ringfence.allinone.up;

import dev.ringfence.allinone.console.LiveView;
import dev.ringfence.allinone.console.Progress;
import dev.ringfence.allinone.live.AlertFile;
import dev.ringfence.allinone.live.PipelineStatus;
import dev.ringfence.allinone.live.TopicReader;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import dev.ringfence.jobs.RemoteJob;
import dev.ringfence.jobs.RunningJob;
import dev.ringfence.sensor.Sensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the stages in data-flow order, shows what happens live until Ctrl-C, then stops them in reverse.
 * Kafka, the detection job and the feedback service are required: if one fails, everything started is
 * stopped and {@code up} exits 1. The sensor is not: a host without root or BTF still runs the rest of the
 * pipeline (useful with --kafka, where other sensors publish), and the failure is reported with its reason.
 */
public final class UpCommand {
    /** Long enough for a first decision on a loaded machine; it holds start-up only when enforcement is broken. */
    private static final Duration SELF_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private final UpOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final Progress progress;
    private final RunningStages stages;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final SensorScope scope;
    private String bootstrap;
    private Sensor sensor;

    public UpCommand(UpOptions options, PrintStream out, PrintStream err) {
        this(options, out, err, SensorScope.host());
    }

    /** The same stages with the sensor narrowed to {@code scope} (the demo's pods). */
    public UpCommand(UpOptions options, PrintStream out, PrintStream err, SensorScope scope) {
        this.scope = scope;
        this.options = options;
        this.out = out;
        this.err = err;
        this.progress = new Progress(out, options.json());
        this.stages = new RunningStages(progress);
    }

    public int run() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stages.stopAll();
            stopped.countDown();
        }, "ringfence-shutdown"));
        if (!start()) {
            return 1;
        }
        progress.message("Running: alerts and decisions appear below, a status line every " + options.statusInterval().toSeconds()
                + " s. Ctrl-C stops everything; the state directory is kept.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Starts every stage in data-flow order; false (and everything started stopped again) when a required one
     * failed. The caller stops them with {@link #stop()}.
     */
    public boolean start() {
        Path state = options.stateDir().toAbsolutePath();
        progress.message("Ringfence all-in-one (state in " + state + ")");
        try {
            stages.add("state-lock", required("state-lock", () -> StateLock.acquire(state)));
            bootstrap = startKafka(state);
            startCertificates(state);
            startDetection(bootstrap, state);
            FeedbackStage feedback = startFeedback(bootstrap, state);
            startSensor(bootstrap, state, feedback.address());
            startElasticsearch(bootstrap, state);
            if (scope.liveView()) {
                startLiveView(bootstrap, state);
            }
        } catch (StageFailed e) {
            err.println("ringfence up: " + e.getMessage() + "; stopping what started");
            stages.stopAll();
            return false;
        }
        return true;
    }

    /** Stops what started, in reverse order (idempotent). */
    public void stop() {
        stages.stopAll();
    }

    /** The Kafka bootstrap servers the stages use (after {@link #start()}). */
    public String bootstrap() {
        return bootstrap;
    }

    /** The sensor, when it started. */
    public java.util.Optional<Sensor> sensor() {
        return java.util.Optional.ofNullable(sensor);
    }

    private String startKafka(Path state) {
        if (options.externalKafka() != null) {
            progress.ready("kafka", "using " + options.externalKafka(), Duration.ZERO);
            return options.externalKafka();
        }
        long start = System.nanoTime();
        EmbeddedKafka kafka = required("kafka", () -> EmbeddedKafka.launch(state.resolve("kafka"), options.kafkaPort(), 2));
        stages.add("kafka", kafka);
        progress.ready("kafka", "embedded broker at " + kafka.bootstrapServers(), since(start));
        return kafka.bootstrapServers();
    }

    private void startCertificates(Path state) {
        long start = System.nanoTime();
        Path dir = state.resolve("certs");
        List<String> created = required("certificates", () -> Certificates.ensure(dir, scope.node()));
        progress.ready("certificates", (created.isEmpty() ? "reused" : "created " + String.join(", ", created)) + " in " + dir,
                since(start));
    }

    private void startDetection(String bootstrap, Path state) {
        long start = System.nanoTime();
        if (options.flink() != null) {
            RemoteJob job = required("detection-job", () -> DetectionStage.submit(bootstrap, options));
            stages.add("detection-job", job);
            progress.ready("detection-job", "Flink job " + job.jobId() + " on the cluster at " + options.flink() + ", "
                    + DetectionStage.describePolicy(options), since(start));
            return;
        }
        RunningJob job = required("detection-job", () -> DetectionStage.start(bootstrap, options, state.resolve("jobs")));
        stages.add("detection-job", job);
        progress.ready("detection-job", "Flink MiniCluster in-process, " + DetectionStage.describePolicy(options), since(start));
    }

    private FeedbackStage startFeedback(String bootstrap, Path state) {
        long start = System.nanoTime();
        FeedbackStage service = required("enforcement-feedback", () -> FeedbackStage.start(bootstrap, options, state));
        stages.add("enforcement-feedback", service);
        progress.ready("enforcement-feedback", "mTLS gRPC on port " + service.port()
                + (observing() ? " (observe: delivers nothing)" : ""), since(start));
        return service;
    }

    private boolean observing() {
        return !options.enforce() && options.policyFile() == null;
    }

    private void startSensor(String bootstrap, Path state, String feedbackAddress) {
        long start = System.nanoTime();
        try {
            sensor = SensorStage.start(bootstrap, state.resolve("sensor"), feedbackAddress, state.resolve("certs"), scope);
            stages.add("sensor", sensor);
            progress.ready("sensor", "eBPF on this host, local identity, node " + scope.node()
                    + (scope.watch().isEmpty() ? "" : ", watching " + scope.watch().size() + " cgroup(s)") + ", publishing to Kafka",
                    since(start));
        } catch (IllegalStateException e) {
            progress.failed("sensor", e.getMessage() + " (the rest of the pipeline keeps running)");
            progress.failed("enforcement", "no sensor on this host: decisions for it wait in the feedback service");
            return;
        }
        String link = "sensor dials the feedback service at " + feedbackAddress + " as node " + scope.node() + "; ";
        if (observing()) {
            progress.ready("enforcement", link + "observe: decisions are recorded as dry runs, nothing is enforced", since(start));
            return;
        }
        try {
            Duration killed = EnforcementSelfCheck.run(sensor, scope.node(), bootstrap, state.resolve("certs"), SELF_CHECK_TIMEOUT);
            progress.ready("enforcement", link + "decisions are applied in the kernel (exec kill, connect blocks, isolation); "
                    + "self-check: a canary process was killed by a decision on the decisions topic in " + killed.toMillis() + " ms",
                    since(start));
        } catch (Exception e) {
            progress.failed("enforcement", "self-check: " + e.getMessage() + " (decisions may not reach the kernel; the rest of the"
                    + " pipeline keeps running)");
        }
    }

    private void startElasticsearch(String bootstrap, Path state) {
        if (options.elasticsearch() == null) {
            progress.off("elasticsearch", "alerts go to the console and the ECS file only (--elasticsearch [URL] adds the sink)");
            return;
        }
        long start = System.nanoTime();
        try {
            ElasticsearchStage sink = ElasticsearchStage.start(bootstrap, options.elasticsearch(), state);
            stages.add("elasticsearch", sink);
            progress.ready("elasticsearch", sink.describe(), since(start));
        } catch (Exception e) {
            progress.failed("elasticsearch", e.getMessage() + " (the rest of the pipeline keeps running)");
        }
    }

    private void startLiveView(String bootstrap, Path state) {
        long start = System.nanoTime();
        LiveView view = new LiveView(out, options.json(), LiveView.stdoutIsTerminal());
        PipelineStatus status = new PipelineStatus();
        AlertFile alerts = required("live-view", () -> new AlertFile(state.resolve("alerts.ecs.ndjson")));
        stages.add("alert-file", alerts);
        TopicReader reader = required("live-view", () -> TopicReader.start(bootstrap, List.of(status, alerts, view)));
        stages.add("live-view", reader);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable ->
                Thread.ofPlatform().name("status-line").daemon().unstarted(runnable));
        long period = options.statusInterval().toMillis();
        ticker.scheduleAtFixedRate(() -> view.status(status.snapshot(epochNanos()), epochNanos()), period, period,
                TimeUnit.MILLISECONDS);
        stages.add("status-line", ticker::shutdownNow);
        progress.ready("live-view", "reading the topics; alerts also appended to " + alerts.path(), since(start));
    }

    private interface Start<T> {
        T call() throws Exception;
    }

    private static final class StageFailed extends RuntimeException {
        StageFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private <T> T required(String stage, Start<T> start) {
        if (stages.stopping()) {
            throw new StageFailed("interrupted before " + stage + " started", null);
        }
        try {
            return start.call();
        } catch (Exception | LinkageError e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            progress.failed(stage, reason);
            throw new StageFailed(stage + " did not start: " + reason, e);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
