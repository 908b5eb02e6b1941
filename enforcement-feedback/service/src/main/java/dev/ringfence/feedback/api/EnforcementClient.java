package dev.ringfence.feedback.api;

import com.google.protobuf.ByteString;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.feedback.protocol.ActiveDecision;
import dev.ringfence.feedback.protocol.EnforcementGrpc;
import dev.ringfence.feedback.protocol.ListActiveRequest;
import dev.ringfence.feedback.protocol.ReleaseRequest;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.SubmitRequest;
import dev.ringfence.feedback.tls.TlsIdentity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A caller of the unary API (CLI, tools, the all-in-one) holding an issuer certificate. Failures surface as StatusRuntimeException. */
public final class EnforcementClient implements AutoCloseable {
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final ManagedChannel channel;
    private final EnforcementGrpc.EnforcementBlockingStub stub;

    private EnforcementClient(ManagedChannel channel) {
        this.channel = channel;
        this.stub = EnforcementGrpc.newBlockingStub(channel);
    }

    public static EnforcementClient connect(String serviceAddress, TlsIdentity identity) {
        if (serviceAddress == null || !serviceAddress.matches("[^\\s:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("service address must be host:port, got '" + serviceAddress + "'");
        }
        return new EnforcementClient(Grpc.newChannelBuilder(serviceAddress, identity.clientCredentials()).build());
    }

    public SubmitReply submit(Decision decision) {
        return deadline().submit(SubmitRequest.newBuilder().setDecision(ByteString.copyFrom(DECISIONS.encode(decision))).build());
    }

    /** Submits bytes as they are, e.g. to see what the service makes of a corrupt decision. */
    public SubmitReply submitRaw(byte[] decisionBytes) {
        return deadline().submit(SubmitRequest.newBuilder().setDecision(ByteString.copyFrom(decisionBytes)).build());
    }

    public SubmitReply release(String decisionId, String reason) {
        return deadline().release(ReleaseRequest.newBuilder().setDecisionId(decisionId).setReason(reason == null ? "" : reason).build());
    }

    public List<ActiveDecision> listActive() {
        return deadline().listActive(ListActiveRequest.getDefaultInstance()).getDecisionsList();
    }

    public static Decision decisionOf(ActiveDecision active) {
        return DECISIONS.decode(active.getDecision().toByteArray());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private EnforcementGrpc.EnforcementBlockingStub deadline() {
        return stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
}
