package dev.ringfence.jobs.config;

/** A configuration, policy or command line that cannot be used; the message says which key and why. */
public final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
