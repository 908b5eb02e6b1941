package dev.ringfence.sensor.bpf;

/** A kernel record that cannot be decoded; counted by the caller, never fatal. */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
