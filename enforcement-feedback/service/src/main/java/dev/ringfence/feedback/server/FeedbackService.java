package dev.ringfence.feedback.server;

import dev.ringfence.feedback.api.EnforcementApiService;
import dev.ringfence.feedback.audit.AuditTrail;
import dev.ringfence.feedback.audit.LogAuditTrail;
import dev.ringfence.feedback.auth.PeerAuthentication;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.feedback.ca.TrustedIssuers;
import dev.ringfence.feedback.intake.DecisionIntake;
import dev.ringfence.feedback.kafka.AuditRecovery;
import dev.ringfence.feedback.kafka.DecisionConsumer;
import dev.ringfence.feedback.kafka.KafkaAuditTrail;
import dev.ringfence.feedback.link.KubernetesSensorPods;
import dev.ringfence.feedback.link.SensorLinkService;
import dev.ringfence.feedback.link.SensorPods;
import dev.ringfence.feedback.metrics.FeedbackMetrics;
import dev.ringfence.feedback.rails.SafetyRails;
import dev.ringfence.feedback.route.DecisionLoop;
import dev.ringfence.feedback.route.DecisionRouter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running enforcement-feedback service: gRPC over mutual TLS, the decision loop, and Kafka when configured. */
public final class FeedbackService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackService.class);

    private final FeedbackMetrics metrics = new FeedbackMetrics();
    private final DecisionLoop loop = new DecisionLoop(metrics);
    private AuditTrail audit;
    private Server server;
    private DecisionConsumer consumer;
    private HTTPServer metricsServer;
    private KubernetesClient kubernetes;

    private FeedbackService() {}

    /** Starts serving; returns once the port is bound (and the Kafka consumer started, when configured). */
    public static FeedbackService start(FeedbackConfig config) {
        IssuedCertificate identity = CertificateAuthority.filesOf(config.certsDir(), Role.SERVICE, config.serviceName());
        if (!Files.isRegularFile(identity.certificate()) || !Files.isRegularFile(identity.privateKey())) {
            throw new IllegalStateException("no service certificate " + identity.certificate() + " (issue one with: certs service "
                    + config.serviceName() + " --certs " + config.certsDir() + ")");
        }
        FeedbackService service = new FeedbackService();
        try {
            service.startParts(config, identity);
        } catch (RuntimeException e) {
            service.close(); // whatever started before the failure
            throw e;
        }
        return service;
    }

    private void startParts(FeedbackConfig config, IssuedCertificate identity) {
        Clock clock = Clock.systemUTC();
        audit = config.kafkaBootstrap() == null ? new LogAuditTrail() : new KafkaAuditTrail(config.kafkaBootstrap(), config.kafkaSecurity());
        DecisionRouter router = new DecisionRouter(audit, metrics, clock, System::nanoTime, config.retryInterval());
        DecisionIntake intake = new DecisionIntake(router, new SafetyRails(config.rails(), System::nanoTime),
                TrustedIssuers.load(config.certsDir()), audit, metrics, clock, config.dryRun(), config.requireSignedFromKafka());
        if (config.kafkaBootstrap() != null) {
            long entries = AuditRecovery.recover(config.kafkaBootstrap(), config.kafkaSecurity(), config.recoveryWindow(), clock, loop, router, intake);
            LOG.info("event=state_recovered audit_entries={} tracked={}", entries, loop.call("count-tracked", () -> router.tracked().size()));
        }
        loop.every("retry-and-forget", config.retryInterval().dividedBy(2), () -> {
            router.tick();
            intake.forgetExpired();
        });
        if (config.metricsPort() >= 0) {
            metricsServer = metrics.serve(config.metricsPort());
        }
        PeerAuthentication authentication = new PeerAuthentication();
        server = Grpc.newServerBuilderForPort(config.port(), identity.tls().serverCredentials())
                .addService(ServerInterceptors.intercept(new SensorLinkService(loop, router, audit, metrics, clock, sensorPods(config)), authentication))
                .addService(ServerInterceptors.intercept(new EnforcementApiService(loop, intake, router, audit, metrics, clock), authentication))
                // sensors hold one stream for days: find dead peers, and let live ones ping through NATs
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + config.port() + ": " + e.getMessage(), e);
        }
        if (config.kafkaBootstrap() != null) {
            consumer = new DecisionConsumer(config.kafkaBootstrap(), config.kafkaSecurity(), config.consumerGroup(), loop, intake, audit, metrics, clock);
            consumer.start();
        }
        LOG.info("event=feedback_started port={} kafka={} dry_run={} metrics_port={}", server.getPort(),
                config.kafkaBootstrap(), config.dryRun(), metricsPort());
    }

    public int port() {
        return server.getPort();
    }

    /** The Prometheus port, or -1 when metrics are not served. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.getPort();
    }

    public FeedbackMetrics metrics() {
        return metrics;
    }

    /** Sensor-pod certificates resolve to nodes through the API server (in-cluster credentials) when configured. */
    private SensorPods sensorPods(FeedbackConfig config) {
        if (config.sensorDaemonSet() == null) {
            return SensorPods.NONE;
        }
        kubernetes = new KubernetesClientBuilder().build();
        return KubernetesSensorPods.of(kubernetes, config.sensorDaemonSet());
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
        }
        if (server != null) {
            server.shutdown();
            try {
                if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loop.close();
        if (audit != null) {
            audit.close();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
        LOG.info("event=feedback_stopped");
    }
}
