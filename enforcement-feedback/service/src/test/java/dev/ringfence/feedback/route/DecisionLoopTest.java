package dev.ringfence.feedback.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.feedback.metrics.FeedbackMetrics;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecisionLoopTest {
    private static final double SLOW_SECONDS = DecisionLoop.SLOW_NANOS / 1e9;

    @Test
    void aDecisionHeldUpBehindASlowTaskIsCountedAsWaitingUnderItsOwnName() throws Exception {
        FeedbackMetrics metrics = new FeedbackMetrics();
        CountDownLatch decisionQueued = new CountDownLatch(1);
        try (DecisionLoop loop = new DecisionLoop(metrics)) {
            loop.execute("slow-ack", () -> {
                await(decisionQueued);
                sleep(2 * DecisionLoop.SLOW_NANOS / 1_000_000);
            });
            loop.execute("intake-kafka", () -> {});
            decisionQueued.countDown();
            assertThat(loop.call("intake-api", () -> "answered")).isEqualTo("answered");
        }
        assertThat(metrics.loopWaitsAtLeast("intake-kafka", SLOW_SECONDS)).isEqualTo(1);
        // the loop was free again for the API's call: far below the slow mark even on a loaded machine
        assertThat(metrics.loopWaitsAtLeast("intake-api", 0)).isEqualTo(1);
        assertThat(metrics.loopWaitsAtLeast("intake-api", 1.0)).isZero();
    }

    @Test
    void aFailingTaskIsStillTimedAndTheLoopGoesOn() {
        FeedbackMetrics metrics = new FeedbackMetrics();
        try (DecisionLoop loop = new DecisionLoop(metrics)) {
            loop.execute("broken", () -> {
                throw new IllegalStateException("broken task");
            });
            assertThat(loop.call("after", () -> 42)).isEqualTo(42);
        }
        assertThat(metrics.loopWaitsAtLeast("broken", 0)).isEqualTo(1);
        assertThat(metrics.loopWaitsAtLeast("after", 0)).isEqualTo(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
