package dev.ringfence.allinone.up;

import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.publish.KafkaPublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The eBPF sensor of this host, local-host identity (no Kubernetes), publishing to Kafka and linked to the
 * feedback service with this node's certificate, so it applies this node's decisions in the kernel.
 */
final class SensorStage {
    private static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
    // the status line's lost-event count comes from the health topic: report about as often as it is shown
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(5);

    private SensorStage() {}

    /** This host's node name, as the sensor names it (its certificate is issued for this name). */
    static String node() {
        return SensorConfig.builder().build().node();
    }

    /** Starts the sensor, or throws IllegalStateException saying why it cannot run here. */
    static Sensor start(String bootstrap, Path runDirectory, String feedbackAddress, Path certificates, SensorScope scope) {
        requireRunnable();
        IssuedCertificate node = CertificateAuthority.filesOf(certificates, Role.NODE, scope.node());
        SensorConfig config = SensorConfig.builder()
                .node(scope.node())
                .watchCgroups(scope.watch())
                .runDirectory(runDirectory)
                .healthInterval(HEALTH_INTERVAL)
                .feedbackAddress(feedbackAddress)
                .feedbackCert(node.certificate())
                .feedbackKey(node.privateKey())
                .feedbackCa(node.caCertificate())
                .build();
        KafkaPublisher publisher = new KafkaPublisher(bootstrap, runDirectory.resolve("spool"), config.spoolMaxBytes());
        try {
            Sensor sensor = Sensor.start(config, publisher);
            scope.workloads().forEach(sensor::registerWorkload);
            return sensor;
        } catch (RuntimeException | LinkageError e) {
            publisher.close();
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** The two preconditions a user can fix, checked first so the reason is not buried in a libbpf error. */
    private static void requireRunnable() {
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell which user this runs as (" + e.getMessage() + "); the sensor needs root");
        }
        if (uid != 0) {
            throw new IllegalStateException("the sensor needs root (loads eBPF programs); this runs as uid " + uid);
        }
        if (!Files.isReadable(BTF)) {
            throw new IllegalStateException("the kernel has no BTF (" + BTF + " missing): the sensor's CO-RE programs cannot load");
        }
    }
}
