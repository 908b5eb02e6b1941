package dev.ringfence.feedback.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAction;
import dev.ringfence.feedback.ca.CertificateAuthority;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.link.SensorLink;
import dev.ringfence.feedback.link.SensorLinkConfig;
import dev.ringfence.feedback.protocol.EnforcementGrpc;
import dev.ringfence.feedback.protocol.ListActiveRequest;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.signing.DecisionSignatures;
import dev.ringfence.feedback.testing.Decisions;
import dev.ringfence.feedback.testing.RunningService;
import dev.ringfence.feedback.testing.TestPki;
import dev.ringfence.feedback.testing.TestSensor;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only issuer certificates of this CA may submit; decisions claiming another issuer or carrying a bad signature are refused as forged. */
class SubmitAuthorizationIT {
    @TempDir
    static Path dir;
    static RunningService running;
    static TestPki pki;
    static EnforcementClient ops;

    @BeforeAll
    static void start() {
        running = RunningService.start(dir);
        pki = running.pki;
        ops = running.ops;
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void aClientWithoutACertificateCannotSubmit() throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(address(),
                TlsChannelCredentials.newBuilder().trustManager(pki.ca.caCertificateFile().toFile()).build()).build();
        try {
            assertThatThrownBy(() -> EnforcementGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .listActive(ListActiveRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIssuerCertificateOfAnotherCaCannotSubmit() {
        IssuedCertificate stranger = CertificateAuthority.init(dir.resolve("other-ca")).issueIssuer("ops");
        try (EnforcementClient client = EnforcementClient.connect(address(), stranger.tls())) {
            assertThatThrownBy(() -> client.submit(Decisions.kill("ops", "node-a", 4242).build()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        }
    }

    @Test
    void aNodeCertificateCannotSubmitNorList() {
        try (EnforcementClient asNode = EnforcementClient.connect(address(), pki.nodeA.tls())) {
            assertThatThrownBy(() -> asNode.submit(Decisions.kill("node-a", "node-b", 4242).build()))
                    .isInstanceOf(StatusRuntimeException.class)
                    .satisfies(e -> {
                        Status status = ((StatusRuntimeException) e).getStatus();
                        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(status.getDescription()).contains("only issuer certificates").contains("ringfence://node/node-a");
                    });
            assertThatThrownBy(asNode::listActive).isInstanceOf(StatusRuntimeException.class);
        }
    }

    @Test
    void anIssuerCertificateCannotHoldASensorLink() throws Exception {
        SensorLinkConfig config = new SensorLinkConfig(address(), pki.ops.tls(), Duration.ofMillis(50), Duration.ofMillis(200));
        try (SensorLink link = SensorLink.create(config, decision -> { }).start()) {
            assertThat(link.awaitConnected(Duration.ofSeconds(2))).isFalse();
            assertThat(link.node()).isNull();
        }
    }

    @Test
    void aDecisionNamingAnotherIssuerIsRefusedAsForged() {
        SubmitReply reply = ops.submit(Decisions.kill("jobs", "node-a", 4242).build());
        assertThat(reply.getVerdict()).isEqualTo(Verdict.REFUSED);
        assertThat(reply.getReason()).startsWith("forged: issuer 'jobs' is not the authenticated caller 'ops'");
    }

    @Test
    void signedDecisionsAreVerified() throws Exception {
        Decision good = DecisionSignatures.sign(Decisions.kill("ops", "node-a", 1001).build(), "ops", pki.ops.loadPrivateKey());
        assertThat(ops.submit(good).getVerdict()).isEqualTo(Verdict.ACCEPTED);

        Decision tampered = DecisionSignatures.sign(Decisions.kill("ops", "node-a", 1002).build(), "ops", pki.ops.loadPrivateKey());
        tampered.getTarget().setExecId("node-a:1003:123456789");
        SubmitReply refusedTampered = ops.submit(tampered);
        assertThat(refusedTampered.getVerdict()).isEqualTo(Verdict.REFUSED);
        assertThat(refusedTampered.getReason()).contains("signature does not verify");

        // signed with the key of an issuer this CA never certified
        IssuedCertificate rogue = CertificateAuthority.init(dir.resolve("rogue-ca")).issueIssuer("ops");
        Decision rogueSigned = DecisionSignatures.sign(Decisions.kill("ops", "node-a", 1004).build(), "ops", rogue.loadPrivateKey());
        assertThat(ops.submit(rogueSigned).getReason()).contains("signature does not verify");

        Decision garbage = Decisions.kill("ops", "node-a", 1005).setSignature(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setSigningKeyId("ops").build();
        assertThat(ops.submit(garbage).getVerdict()).isEqualTo(Verdict.REFUSED);
        assertThat(running.service.metrics().decisionCount(DecisionAction.KILL_PROCESS, "refused_forged")).isGreaterThanOrEqualTo(3);

        try (TestSensor a = running.sensor(pki.nodeA, AckOutcome.APPLIED)) {
            assertThat(a.next().getDecisionId()).isEqualTo(good.getDecisionId());
        }
    }

    @Test
    void bytesThatAreNotADecisionAreRejectedAsInvalid() {
        assertThatThrownBy(() -> ops.submitRaw(new byte[] {(byte) 0xC3, 0x01, 9, 9, 9}))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status status = ((StatusRuntimeException) e).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(status.getDescription()).contains("not a contract Decision");
                });
    }

    private static String address() {
        return "localhost:" + running.service.port();
    }
}
