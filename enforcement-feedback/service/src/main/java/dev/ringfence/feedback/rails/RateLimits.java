package dev.ringfence.feedback.rails;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets: one per workload and one for everything, each refilling {@code perMinute} tokens
 * a minute and holding at most that many. A runaway detection rule can then contain a few
 * workloads, not the fleet. Not thread-safe: used from the service's decision loop only.
 */
final class RateLimits {
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final int MAX_BUCKETS = 100_000;

    private final int perWorkloadPerMinute;
    private final Bucket global;
    private final Map<String, Bucket> perWorkload = new HashMap<>();
    private final LongSupplier nanoTime;

    RateLimits(int perWorkloadPerMinute, int globalPerMinute, LongSupplier nanoTime) {
        this.perWorkloadPerMinute = perWorkloadPerMinute;
        this.nanoTime = nanoTime;
        this.global = new Bucket(globalPerMinute, nanoTime.getAsLong());
    }

    /** Takes one token from the workload's bucket and the global one, or explains which is empty (and takes none). */
    String tryAcquire(String workloadKey) {
        long now = nanoTime.getAsLong();
        if (perWorkload.size() >= MAX_BUCKETS) {
            perWorkload.values().removeIf(bucket -> bucket.isFull(now));
        }
        Bucket workload = perWorkload.computeIfAbsent(workloadKey, key -> new Bucket(perWorkloadPerMinute, now));
        if (!workload.has(now)) {
            return "rate limit: more than " + perWorkloadPerMinute + " decisions a minute for " + workloadKey;
        }
        if (!global.has(now)) {
            return "rate limit: more than " + global.capacity + " decisions a minute in total";
        }
        workload.take();
        global.take();
        return null;
    }

    private static final class Bucket {
        private final int capacity;
        private double tokens;
        private long refilledAt;

        Bucket(int capacity, long now) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.refilledAt = now;
        }

        boolean has(long now) {
            tokens = Math.min(capacity, tokens + (double) (now - refilledAt) * capacity / MINUTE_NANOS);
            refilledAt = now;
            return tokens >= 1;
        }

        boolean isFull(long now) {
            return has(now) && tokens >= capacity;
        }

        void take() {
            tokens -= 1;
        }
    }
}
