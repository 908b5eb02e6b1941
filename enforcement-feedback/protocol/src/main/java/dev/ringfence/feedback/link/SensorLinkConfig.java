package dev.ringfence.feedback.link;

import dev.ringfence.feedback.tls.TlsIdentity;
import java.time.Duration;

/**
 * Where a sensor dials and with which node certificate. Reconnects back off exponentially from
 * {@code initialBackoff} to {@code maxBackoff}, with jitter so a fleet does not reconnect in step.
 */
public record SensorLinkConfig(String serviceAddress, TlsIdentity identity, Duration initialBackoff, Duration maxBackoff) {
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    public SensorLinkConfig {
        if (serviceAddress == null || !serviceAddress.matches("[^\\s:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("service address must be host:port, got '" + serviceAddress + "'");
        }
        if (identity == null) {
            throw new IllegalArgumentException("a sensor link needs the node's TLS identity");
        }
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, got " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("max backoff must be at least the initial backoff, got " + maxBackoff);
        }
    }

    public SensorLinkConfig(String serviceAddress, TlsIdentity identity) {
        this(serviceAddress, identity, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }
}
