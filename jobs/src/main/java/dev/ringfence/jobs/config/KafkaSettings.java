package dev.ringfence.jobs.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/** Where the job reads and writes, and with which delivery guarantee. */
public final class KafkaSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Set<String> STARTING_OFFSETS = Set.of("committed", "earliest", "latest");
    public static final Set<String> DELIVERIES = Set.of("at-least-once", "exactly-once");

    public String bootstrapServers;
    public String groupId = "ringfence-jobs";
    /** Where a consumer group without committed offsets starts; "committed" falls back to earliest. */
    public String startingOffsets = "committed";
    /**
     * at-least-once: records are visible at once (containment latency) and de-duplicated downstream by their
     * deterministic ids (alert_id + revision, decision_id). exactly-once: Kafka transactions, records become
     * visible only when the checkpoint that covers them completes.
     */
    public String delivery = "at-least-once";
    public String transactionalIdPrefix = "ringfence-jobs";
    /**
     * Kafka client security settings (TLS, SASL) for the source and every sink, from {@code --kafka-config FILE}
     * (validated by KafkaClientSecurity). Private and without bean accessors, so job.yaml cannot set it (its
     * reader refuses the key): every component takes these settings the same way.
     */
    private TreeMap<String, String> security = new TreeMap<>();

    void validate() {
        Check.notBlank("kafka.bootstrapServers", bootstrapServers);
        for (String server : bootstrapServers.split(",")) {
            int colon = server.lastIndexOf(':');
            if (colon <= 0 || !server.substring(colon + 1).matches("\\d{1,5}")) {
                throw new InvalidConfigException("kafka.bootstrapServers: '" + server + "' is not HOST:PORT");
            }
        }
        Check.notBlank("kafka.groupId", groupId);
        oneOf("kafka.startingOffsets", startingOffsets, STARTING_OFFSETS);
        oneOf("kafka.delivery", delivery, DELIVERIES);
        Check.notBlank("kafka.transactionalIdPrefix", transactionalIdPrefix);
    }

    /** Replaces the security settings with validated ones (KafkaClientSecurity#settings). */
    public void useSecurity(Map<String, String> settings) {
        security = new TreeMap<>(settings);
    }

    public Map<String, String> securitySettings() {
        return Collections.unmodifiableMap(security);
    }

    /** The security settings as the Properties the Kafka source and sink builders take. */
    public Properties securityProperties() {
        Properties properties = new Properties();
        properties.putAll(security);
        return properties;
    }

    public boolean exactlyOnce() {
        return "exactly-once".equals(delivery);
    }

    static void oneOf(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new InvalidConfigException(key + " must be one of " + allowed + ", got '" + value + "'");
        }
    }
}
