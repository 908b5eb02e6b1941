package dev.ringfence.allinone.up;

import dev.ringfence.allinone.console.Progress;
import dev.ringfence.embedded.kafka.EmbeddedKafka;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the stages in data-flow order and keeps them running until Ctrl-C, then stops them in reverse.
 * Stages that are not built yet are reported as such; nothing pretends to run.
 */
public final class UpCommand {
    private final UpOptions options;
    private final PrintStream err;
    private final Progress progress;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public UpCommand(UpOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.err = err;
        this.progress = new Progress(out, options.json());
    }

    public int run() {
        progress.message("Ringfence all-in-one (state in " + options.stateDir().toAbsolutePath() + ")");
        EmbeddedKafka kafka = null;
        String bootstrap;
        try {
            if (options.externalKafka() != null) {
                bootstrap = options.externalKafka();
                progress.ready("kafka", "using " + bootstrap, Duration.ZERO);
            } else {
                long start = System.nanoTime();
                kafka = EmbeddedKafka.launch(options.stateDir().resolve("kafka"), options.kafkaPort(), 2);
                bootstrap = kafka.bootstrapServers();
                progress.ready("kafka", "embedded broker at " + bootstrap, Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (RuntimeException e) {
            progress.failed("kafka", e.getMessage());
            err.println("ringfence up: Kafka did not start: " + e.getMessage());
            return 1;
        }
        progress.absent("flink-jobs", "detection jobs are not built yet");
        progress.absent("enforcement-feedback", "decision routing service is not built yet");
        progress.absent("sensor", "eBPF sensor is not built yet");
        progress.message("Running: Kafka only, topics created. Ctrl-C stops everything; data stays in the state directory.");

        EmbeddedKafka running = kafka;
        Thread hook = new Thread(() -> {
            if (running != null) {
                running.stop();
                progress.stopped("kafka");
            }
            stopped.countDown();
        }, "ringfence-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
