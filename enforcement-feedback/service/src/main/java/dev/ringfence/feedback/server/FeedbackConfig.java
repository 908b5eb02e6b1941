package dev.ringfence.feedback.server;

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
 */
public record FeedbackConfig(Path certsDir, String serviceName, int port, String kafkaBootstrap, String consumerGroup,
                             RailsConfig rails, boolean dryRun, boolean requireSignedFromKafka,
                             Duration retryInterval, int metricsPort) {
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
    }

    public static FeedbackConfig of(Path certsDir) {
        return new FeedbackConfig(certsDir, DEFAULT_SERVICE_NAME, DEFAULT_PORT, null, "ringfence-enforcement-feedback",
                RailsConfig.defaults(), false, false, Duration.ofSeconds(2), -1);
    }

    public FeedbackConfig withPort(int newPort) {
        return new FeedbackConfig(certsDir, serviceName, newPort, kafkaBootstrap, consumerGroup, rails, dryRun,
                requireSignedFromKafka, retryInterval, metricsPort);
    }

    public FeedbackConfig withKafka(String bootstrap) {
        return new FeedbackConfig(certsDir, serviceName, port, bootstrap, consumerGroup, rails, dryRun,
                requireSignedFromKafka, retryInterval, metricsPort);
    }

    public FeedbackConfig withRails(RailsConfig newRails) {
        return new FeedbackConfig(certsDir, serviceName, port, kafkaBootstrap, consumerGroup, newRails, dryRun,
                requireSignedFromKafka, retryInterval, metricsPort);
    }

    public FeedbackConfig withDryRun(boolean newDryRun) {
        return new FeedbackConfig(certsDir, serviceName, port, kafkaBootstrap, consumerGroup, rails, newDryRun,
                requireSignedFromKafka, retryInterval, metricsPort);
    }

    public FeedbackConfig withRequireSignedFromKafka(boolean required) {
        return new FeedbackConfig(certsDir, serviceName, port, kafkaBootstrap, consumerGroup, rails, dryRun,
                required, retryInterval, metricsPort);
    }

    public FeedbackConfig withRetryInterval(Duration interval) {
        return new FeedbackConfig(certsDir, serviceName, port, kafkaBootstrap, consumerGroup, rails, dryRun,
                requireSignedFromKafka, interval, metricsPort);
    }

    public FeedbackConfig withMetricsPort(int newMetricsPort) {
        return new FeedbackConfig(certsDir, serviceName, port, kafkaBootstrap, consumerGroup, rails, dryRun,
                requireSignedFromKafka, retryInterval, newMetricsPort);
    }
}
