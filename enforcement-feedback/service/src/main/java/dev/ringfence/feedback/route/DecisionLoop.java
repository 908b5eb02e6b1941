package dev.ringfence.feedback.route;

import dev.ringfence.feedback.metrics.FeedbackMetrics;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns routing state (tracked decisions, links, replay memory, rate buckets):
 * gRPC handlers and the Kafka consumer hand work to it, so that state needs no locks and every
 * decision sees a consistent picture. Every task is timed: a decision waits behind whatever runs before it, so how
 * long tasks waited and ran is a metric, and a task that waited or ran past {@link #SLOW_NANOS} is logged by name.
 */
public final class DecisionLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Twice the containment budget: a decision behind a task this slow has missed it already. */
    static final long SLOW_NANOS = Duration.ofMillis(100).toNanos();

    private final FeedbackMetrics metrics;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread loop = new Thread(runnable, "feedback-decision-loop");
        loop.setDaemon(true);
        return loop;
    });

    public DecisionLoop(FeedbackMetrics metrics) {
        this.metrics = metrics;
    }

    /** Runs {@code work} on the loop later; {@code task} names it in metrics and logs. */
    public void execute(String task, Runnable work) {
        long queuedAt = System.nanoTime();
        try {
            thread.execute(timed(task, queuedAt, work));
        } catch (RejectedExecutionException stopping) {
            LOG.debug("event=task_dropped reason=\"service stopping\"");
        }
    }

    /** Runs on the loop and waits for the answer. */
    public <T> T call(String task, Callable<T> work) {
        FutureTask<T> result = new FutureTask<>(work); // keeps what work returns or throws for the caller
        thread.execute(timed(task, System.nanoTime(), result));
        try {
            return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the decision loop", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new IllegalStateException("decision loop did not answer within " + CALL_TIMEOUT.toSeconds() + " s");
        }
    }

    public void every(String task, Duration period, Runnable work) {
        // a scheduled task is not waiting for the loop before its time: only how long it ran is of interest
        thread.scheduleWithFixedDelay(() -> timed(task, System.nanoTime(), work).run(), period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Runnable timed(String task, long queuedAt, Runnable work) {
        return () -> {
            long startedAt = System.nanoTime();
            try {
                runLogged(work);
            } finally {
                record(task, queuedAt, startedAt);
            }
        };
    }

    private void record(String task, long queuedAt, long startedAt) {
        long waited = startedAt - queuedAt;
        long ran = System.nanoTime() - startedAt;
        metrics.loopTask(task, waited, ran);
        if (waited > SLOW_NANOS || ran > SLOW_NANOS) {
            LOG.warn("event=decision_loop_slow task={} waited_ms={} ran_ms={}", task, waited / 1_000_000, ran / 1_000_000);
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("event=decision_loop_task_failed", e);
        }
    }
}
