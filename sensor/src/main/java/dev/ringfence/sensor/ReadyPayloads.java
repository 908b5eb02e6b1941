package dev.ringfence.sensor;

import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * Records user space makes itself (identity updates, enforcement actions, the start-up walk), waiting for the
 * worker that publishes them. Each is stamped when it is made and wakes the worker: an enforcement action must not
 * wait for the next kernel record, nor carry the time it was published instead of the time the kernel acted.
 */
final class ReadyPayloads {
    record Ready(SpecificRecord payload, long timeNs) {}

    private final Queue<Ready> queue = new ConcurrentLinkedQueue<>();
    private final LongSupplier epochNanos;
    private final Runnable wakeWorker;

    ReadyPayloads(LongSupplier epochNanos, Runnable wakeWorker) {
        this.epochNanos = epochNanos;
        this.wakeWorker = wakeWorker;
    }

    void add(SpecificRecord payload) {
        queue.add(new Ready(payload, epochNanos.getAsLong()));
        wakeWorker.run();
    }

    void addAll(Collection<? extends SpecificRecord> payloads) {
        long now = epochNanos.getAsLong();
        payloads.forEach(payload -> queue.add(new Ready(payload, now)));
        wakeWorker.run();
    }

    /** The oldest waiting record, or null. */
    Ready poll() {
        return queue.poll();
    }
}
