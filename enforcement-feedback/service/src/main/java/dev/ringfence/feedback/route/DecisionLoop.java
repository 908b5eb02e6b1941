package dev.ringfence.feedback.route;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns routing state (tracked decisions, links, replay memory, rate buckets):
 * gRPC handlers and the Kafka consumer hand work to it, so that state needs no locks and every
 * decision sees a consistent picture.
 */
public final class DecisionLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread loop = new Thread(runnable, "feedback-decision-loop");
        loop.setDaemon(true);
        return loop;
    });

    public void execute(Runnable task) {
        try {
            thread.execute(() -> runLogged(task));
        } catch (RejectedExecutionException stopping) {
            LOG.debug("event=task_dropped reason=\"service stopping\"");
        }
    }

    /** Runs on the loop and waits for the answer. */
    public <T> T call(Callable<T> task) {
        Future<T> result = thread.submit(task);
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

    public void every(Duration period, Runnable task) {
        thread.scheduleWithFixedDelay(() -> runLogged(task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
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

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("event=decision_loop_task_failed", e);
        }
    }
}
