package dev.ringfence.jobs.detect.exfil;

/** A sliding sum of bytes over fixed buckets (a ring): constant size whatever the traffic. */
public final class ByteWindow {
    public long[] bucketStartMs;
    public long[] bytes;

    public ByteWindow() {}

    ByteWindow(int buckets) {
        bucketStartMs = new long[buckets];
        bytes = new long[buckets];
        java.util.Arrays.fill(bucketStartMs, Long.MIN_VALUE);
    }

    void add(long timeMs, long count, long bucketMs) {
        long start = Math.floorDiv(timeMs, bucketMs) * bucketMs;
        int slot = (int) Math.floorMod(start / bucketMs, (long) bytes.length);
        if (bucketStartMs[slot] < start) {
            bucketStartMs[slot] = start;
            bytes[slot] = 0;
        } else if (bucketStartMs[slot] > start) {
            // older than the window (a late report): it no longer counts
            return;
        }
        bytes[slot] += count;
    }

    long sum(long nowMs, long bucketMs) {
        long oldest = Math.floorDiv(nowMs, bucketMs) * bucketMs - (long) (bytes.length - 1) * bucketMs;
        long total = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bucketStartMs[i] >= oldest) {
                total += bytes[i];
            }
        }
        return total;
    }
}
