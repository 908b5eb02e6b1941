package dev.ringfence.sinks.write;

import java.util.Map;

/**
 * A document on its way into a bulk request. With an {@code externalVersion} it is indexed only if that
 * version is at least the stored one (alerts: the revision); without, it is created once (audit: data stream).
 */
public record PendingDocument(String index, String id, Long externalVersion, Map<String, Object> source, KafkaBytes origin) {
    public boolean isVersioned() {
        return externalVersion != null;
    }
}
