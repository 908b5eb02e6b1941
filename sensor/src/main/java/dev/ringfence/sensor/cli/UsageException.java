package dev.ringfence.sensor.cli;

/** A command line the CLI cannot run; the message says what is wrong, the CLI prints usage. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
