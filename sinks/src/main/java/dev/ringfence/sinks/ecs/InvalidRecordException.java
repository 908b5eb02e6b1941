package dev.ringfence.sinks.ecs;

/** A contract record that cannot become a document; its message is the reason written to the dead-letter topic. */
public final class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String reason) {
        super(reason);
    }
}
