package dev.ringfence.sensor;

import dev.ringfence.contract.Event;

/** Where the sensor's events go: Kafka, stdout, or the caller's own consumer (all-in-one). */
public interface EventSink extends AutoCloseable {
    /** Called from one sensor thread, in sequence order. Must not block for long. */
    void accept(Event event);

    /**
     * Called when the sensor has no record waiting to be handed over: a sink that buffers makes what it holds
     * visible now, so a quiet moment never leaves an event unseen, and a busy one is written in batches.
     */
    default void flush() {}

    /** Records the sink dropped from its full on-disk spool, oldest first. */
    default long spoolDropped() {
        return 0;
    }

    /** Records waiting in the sink's spool for the destination to come back. */
    default long spoolPending() {
        return 0;
    }

    @Override
    default void close() {}
}
