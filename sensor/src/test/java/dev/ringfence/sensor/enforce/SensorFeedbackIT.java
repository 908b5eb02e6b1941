package dev.ringfence.sensor.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.contract.DecisionTarget;
import dev.ringfence.contract.EnforcementAction;
import dev.ringfence.contract.EnforcementEventKind;
import dev.ringfence.contract.WorkloadIdentity;
import dev.ringfence.feedback.api.EnforcementClient;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.server.FeedbackConfig;
import dev.ringfence.feedback.server.FeedbackService;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.sandbox.CollectingSink;
import dev.ringfence.sensor.sandbox.TestCgroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decision submitted to the real feedback service over mTLS reaches the sensor's link, is applied in the kernel and acked;
 * what is in force when the sensor stops stays pinned for the next one, and a sensor with nothing in force leaves nothing.
 */
class SensorFeedbackIT {
    private static final String NODE = "feedback-node";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private CertificateAuthority ca;
    private IssuedCertificate node;

    @BeforeEach
    void issueCertificates() throws Exception {
        ca = CertificateAuthority.init(dir.resolve("pki"));
        ca.issueService(FeedbackConfig.DEFAULT_SERVICE_NAME, List.of());
        node = ca.issueNode(NODE);
    }

    @Test
    void aSubmittedBlockIsAppliedInTheKernelAndAcked() throws Exception {
        IssuedCertificate ops = ca.issueIssuer("ops");
        CollectingSink sink = new CollectingSink();
        try (TestCgroup workload = TestCgroup.create("feedback");
             FeedbackService service = FeedbackService.start(FeedbackConfig.builder(ca.directory()).port(0).build());
             Loopback loopback = new Loopback(dir);
             Sensor sensor = Sensor.start(config(workload, service, "sensor"), sink);
             EnforcementClient client = EnforcementClient.connect("localhost:" + service.port(), ops.tls())) {
            assertThat(sensor.enforcement().orElseThrow().awaitConnected(WAIT)).isTrue();
            assertThat(loopback.reach(workload, "127.0.0.2", loopback.port(), "tcp")).isEqualTo(Loopback.REACHED);

            Decision block = block(workload);
            client.submit(block);
            EnforcementAction applied = sink.awaitOne(EnforcementAction.class,
                    a -> a.getKind() == EnforcementEventKind.APPLIED && block.getDecisionId().equals(a.getDecisionId()));
            assertThat(applied.getCgroupId()).isEqualTo(workload.id());
            assertThat(loopback.reach(workload, "127.0.0.2", loopback.port(), "tcp")).isEqualTo(Loopback.EPERM);
            awaitAckApplied(service);
            sensor.close();
            assertThat(Enforcer.pinDirectory(NODE).resolve("rf_net_blocks")).exists();
            assertThat(loopback.reach(workload, "127.0.0.2", loopback.port(), "tcp")).isEqualTo(Loopback.EPERM);
        } finally {
            Enforcer.removePins(Enforcer.pinDirectory(NODE));
        }
    }

    @Test
    void aSensorThatStopsWithNothingInForceLeavesNothingAttached() throws Exception {
        try (TestCgroup workload = TestCgroup.create("feedback-idle");
             FeedbackService service = FeedbackService.start(FeedbackConfig.builder(ca.directory()).port(0).build())) {
            Sensor sensor = Sensor.start(config(workload, service, "sensor"), new CollectingSink());
            assertThat(sensor.enforcement().orElseThrow().awaitConnected(WAIT)).isTrue();
            assertThat(Enforcer.pinDirectory(NODE)).isDirectory();

            sensor.close();

            assertThat(Enforcer.pinDirectory(NODE)).doesNotExist();
        } finally {
            Enforcer.removePins(Enforcer.pinDirectory(NODE));
        }
    }

    /** A rolling update with surge: a second sensor for the node takes the pins over and applies a block; the first stops. */
    @Test
    void aSensorThatStopsKeepsThePinsWhenAnotherSensorOfItsNodePutSomethingInForce() throws Exception {
        try (TestCgroup workload = TestCgroup.create("feedback-surge");
             FeedbackService service = FeedbackService.start(FeedbackConfig.builder(ca.directory()).port(0).build());
             Loopback loopback = new Loopback(dir)) {
            Sensor older = Sensor.start(config(workload, service, "older"), new CollectingSink());
            try (Sensor newer = Sensor.start(config(workload, service, "newer"), new CollectingSink())) {
                Decision block = block(workload);
                assertThat(newer.enforcement().orElseThrow().applier().apply(block).getOutcome()).isEqualTo(AckOutcome.APPLIED);

                older.close();

                assertThat(Enforcer.pinDirectory(NODE).resolve("rf_net_blocks")).exists();
                assertThat(loopback.reach(workload, "127.0.0.2", loopback.port(), "tcp")).isEqualTo(Loopback.EPERM);
            } finally {
                older.close();
            }
        } finally {
            Enforcer.removePins(Enforcer.pinDirectory(NODE));
        }
    }

    private SensorConfig config(TestCgroup workload, FeedbackService service, String name) {
        return SensorConfig.builder().node(NODE).watchCgroups(List.of(workload.directory())).runDirectory(dir.resolve(name))
                .feedbackAddress("localhost:" + service.port()).feedbackCert(node.certificate()).feedbackKey(node.privateKey())
                .feedbackCa(node.caCertificate()).build();
    }

    private static void awaitAckApplied(FeedbackService service) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (service.metrics().decisionCount(DecisionAction.BLOCK_CONNECTION, "ack_applied") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(service.metrics().decisionCount(DecisionAction.BLOCK_CONNECTION, "ack_applied")).isEqualTo(1.0);
    }

    private static Decision block(TestCgroup workload) {
        long now = System.currentTimeMillis() * 1_000_000L;
        WorkloadIdentity identity = WorkloadIdentity.newBuilder().setNode(NODE).setWorkloadKey("host/" + NODE + "/feedback")
                .setWorkloadKind("Cgroup").setWorkloadName("feedback").setCgroupPath(workload.path()).build();
        return Decision.newBuilder().setDecisionId("it-" + UUID.randomUUID()).setIssuedNs(now).setIssuer("ops")
                .setAction(DecisionAction.BLOCK_CONNECTION)
                .setTarget(DecisionTarget.newBuilder().setNode(NODE).setWorkload(identity).setDestinationCidr("127.0.0.2/32").build())
                .setReason("test").setTtlMs(60_000).setExpiresNs(now + Duration.ofMinutes(5).toNanos()).setDryRun(false).build();
    }
}
