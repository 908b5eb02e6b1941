package dev.ringfence.jobs.detect;

import org.apache.flink.api.common.state.ValueState;

/**
 * When a key's learning window started (event time of its first observation, moved earlier by out-of-order
 * events); the baseline is complete once the window has passed. Lives in keyed state, so it survives restarts.
 */
public final class LearningClock {
    private final ValueState<Long> start;
    private final long learningMs;

    public LearningClock(ValueState<Long> start, long learningMs) {
        this.start = start;
        this.learningMs = learningMs;
    }

    /** Records the observation time and says whether the baseline was complete at that time. */
    public boolean baselineCompleteAt(long timeMs) throws Exception {
        Long started = start.value();
        if (started == null || timeMs < started) {
            start.update(timeMs);
            return false;
        }
        return timeMs >= started + learningMs;
    }
}
