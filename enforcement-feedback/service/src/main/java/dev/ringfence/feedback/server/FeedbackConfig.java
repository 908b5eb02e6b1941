package dev.ringfence.feedback.server;

import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.feedback.ca.CertificateNames;
import dev.ringfence.feedback.rails.RailsConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the service needs to run.
 *
 * @param certsDir       CA directory (see CertificateAuthority) holding ca.crt, services/&lt;serviceName&gt;.crt|.key and issuers/
 * @param port           gRPC port (0: any free port; read it back from {@link FeedbackService#port()})
 * @param kafkaBootstrap Kafka bootstrap servers, or null: no decisions topic, audit to the log
 * @param dryRun         record what would be delivered, deliver nothing
 * @param metricsPort    Prometheus /metrics port, 0 for any free port, -1 for none
 * @param recoveryWindow how far back the audit topic is read on start to rebuild state (with Kafka only)
 * @param kafkaSecurity  TLS/SASL settings of every Kafka client of the service ({@code --kafka-config FILE})
 * @param sensorDaemonSet {@code NAMESPACE/NAME} of the sensor DaemonSet whose pods may hold sensor links with a
 *                       sensor-pod certificate (node resolved through the API server), or null: node certificates only
 */
public record FeedbackConfig(Path certsDir, String serviceName, int port, String kafkaBootstrap, String consumerGroup,
                             RailsConfig rails, boolean dryRun, boolean requireSignedFromKafka,
                             Duration retryInterval, int metricsPort, Duration recoveryWindow,
                             KafkaClientSecurity kafkaSecurity, String sensorDaemonSet) {
    public static final String DEFAULT_SERVICE_NAME = "feedback";
    public static final int DEFAULT_PORT = 7443;

    public FeedbackConfig {
        if (certsDir == null) {
            throw new IllegalArgumentException("the service needs a certificate directory (--certs DIR)");
        }
        CertificateNames.require(serviceName, "service");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (kafkaBootstrap != null && !kafkaBootstrap.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            throw new IllegalArgumentException("Kafka bootstrap must be HOST:PORT[,HOST:PORT...], got '" + kafkaBootstrap + "'");
        }
        if (consumerGroup == null || consumerGroup.isBlank()) {
            throw new IllegalArgumentException("the Kafka consumer group must not be empty");
        }
        if (rails == null) {
            throw new IllegalArgumentException("rails must be configured (RailsConfig.defaults() at least)");
        }
        if (retryInterval == null || retryInterval.toMillis() < 50) {
            throw new IllegalArgumentException("retry interval must be at least 50 ms, got " + retryInterval);
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics port must be -1 (off) or 0..65535, got " + metricsPort);
        }
        if (recoveryWindow == null || recoveryWindow.isNegative() || recoveryWindow.isZero()) {
            throw new IllegalArgumentException("recovery window must be positive, got " + recoveryWindow);
        }
        if (kafkaSecurity == null) {
            throw new IllegalArgumentException("Kafka client security must be given (KafkaClientSecurity.NONE for plaintext)");
        }
        if (sensorDaemonSet != null && !sensorDaemonSet.matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("sensor DaemonSet must be NAMESPACE/NAME, got '" + sensorDaemonSet + "'");
        }
        if (kafkaBootstrap == null && !kafkaSecurity.settings().isEmpty()) {
            throw new IllegalArgumentException("Kafka client settings (--kafka-config) without Kafka (--kafka)");
        }
    }

    /** The defaults: port 7443, no Kafka, default rails, retry every 2 s, no metrics endpoint. */
    public static FeedbackConfig of(Path certsDir) {
        return builder(certsDir).build();
    }

    public static Builder builder(Path certsDir) {
        return new Builder(certsDir);
    }

    /** Defaults first, each setter overrides one; {@link #build()} validates the whole. */
    public static final class Builder {
        private final Path certsDir;
        private String serviceName = DEFAULT_SERVICE_NAME;
        private int port = DEFAULT_PORT;
        private String kafkaBootstrap;
        private String consumerGroup = "ringfence-enforcement-feedback";
        private RailsConfig rails = RailsConfig.defaults();
        private boolean dryRun;
        private boolean requireSignedFromKafka;
        private Duration retryInterval = Duration.ofSeconds(2);
        private int metricsPort = -1;
        // as long as the decisions topic keeps decisions: older enforcement is not rebuilt after a restart
        private Duration recoveryWindow = Duration.ofDays(7);
        private KafkaClientSecurity kafkaSecurity = KafkaClientSecurity.NONE;
        private String sensorDaemonSet;

        private Builder(Path certsDir) {
            this.certsDir = certsDir;
        }

        public Builder serviceName(String name) {
            serviceName = name;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder kafka(String bootstrap) {
            kafkaBootstrap = bootstrap;
            return this;
        }

        public Builder consumerGroup(String group) {
            consumerGroup = group;
            return this;
        }

        public Builder rails(RailsConfig value) {
            rails = value;
            return this;
        }

        public Builder dryRun(boolean value) {
            dryRun = value;
            return this;
        }

        public Builder requireSignedFromKafka(boolean value) {
            requireSignedFromKafka = value;
            return this;
        }

        public Builder retryInterval(Duration value) {
            retryInterval = value;
            return this;
        }

        public Builder metricsPort(int value) {
            metricsPort = value;
            return this;
        }

        public Builder recoveryWindow(Duration value) {
            recoveryWindow = value;
            return this;
        }

        public Builder kafkaSecurity(KafkaClientSecurity value) {
            kafkaSecurity = value;
            return this;
        }

        public Builder sensorDaemonSet(String namespaceAndName) {
            sensorDaemonSet = namespaceAndName;
            return this;
        }

        public FeedbackConfig build() {
            return new FeedbackConfig(certsDir, serviceName, port, kafkaBootstrap, consumerGroup, rails, dryRun,
                    requireSignedFromKafka, retryInterval, metricsPort, recoveryWindow, kafkaSecurity, sensorDaemonSet);
        }
    }
}
