package dev.ringfence.feedback.api;

import com.google.protobuf.ByteString;
import dev.ringfence.contract.Decision;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import dev.ringfence.feedback.audit.AuditTrail;
import dev.ringfence.feedback.auth.PeerAuthentication;
import dev.ringfence.feedback.ca.PeerIdentity;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.feedback.intake.DecisionIntake;
import dev.ringfence.feedback.intake.IntakeResult;
import dev.ringfence.feedback.intake.Submitter;
import dev.ringfence.feedback.metrics.FeedbackMetrics;
import dev.ringfence.feedback.protocol.ActiveDecision;
import dev.ringfence.feedback.protocol.EnforcementGrpc;
import dev.ringfence.feedback.protocol.ListActiveReply;
import dev.ringfence.feedback.protocol.ListActiveRequest;
import dev.ringfence.feedback.protocol.ReleaseRequest;
import dev.ringfence.feedback.protocol.SubmitReply;
import dev.ringfence.feedback.protocol.SubmitRequest;
import dev.ringfence.feedback.protocol.Verdict;
import dev.ringfence.feedback.route.DecisionLoop;
import dev.ringfence.feedback.route.DecisionRouter;
import dev.ringfence.feedback.route.TrackedDecision;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** The unary API for people and tools: only issuer certificates get past {@link PeerAuthentication#require}. */
public final class EnforcementApiService extends EnforcementGrpc.EnforcementImplBase {
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);

    private final DecisionLoop loop;
    private final DecisionIntake intake;
    private final DecisionRouter router;
    private final AuditTrail audit;
    private final FeedbackMetrics metrics;
    private final Clock clock;

    public EnforcementApiService(DecisionLoop loop, DecisionIntake intake, DecisionRouter router, AuditTrail audit,
                                 FeedbackMetrics metrics, Clock clock) {
        this.loop = loop;
        this.intake = intake;
        this.router = router;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void submit(SubmitRequest request, StreamObserver<SubmitReply> responses) {
        answer(responses, () -> {
            PeerIdentity caller = PeerAuthentication.require(Role.ISSUER, "submit decisions");
            byte[] bytes = request.getDecision().toByteArray();
            Decision decision;
            try {
                decision = DECISIONS.decode(bytes);
            } catch (ContractDecodingException e) {
                metrics.undecodable("api");
                audit.deadLetter(AuditTrail.deadLetter(clock, "api/" + caller.name(), e.getMessage(), null, bytes));
                throw Status.INVALID_ARGUMENT.withDescription("not a contract Decision: " + e.getMessage()).asRuntimeException();
            }
            return reply(loop.call("intake-api", () -> intake.submit(decision, Submitter.api(caller))));
        });
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<SubmitReply> responses) {
        answer(responses, () -> {
            PeerIdentity caller = PeerAuthentication.require(Role.ISSUER, "release decisions");
            IntakeResult result = loop.call("release", () -> intake.release(request.getDecisionId(), request.getReason(), Submitter.api(caller)));
            if (result.outcome() == IntakeResult.Outcome.NOT_FOUND) {
                throw Status.NOT_FOUND.withDescription(result.reason()).asRuntimeException();
            }
            return reply(result);
        });
    }

    @Override
    public void listActive(ListActiveRequest request, StreamObserver<ListActiveReply> responses) {
        answer(responses, () -> {
            PeerAuthentication.require(Role.ISSUER, "list decisions");
            List<TrackedDecision> tracked = loop.call("list-tracked", router::tracked);
            ListActiveReply.Builder reply = ListActiveReply.newBuilder();
            for (TrackedDecision entry : tracked) {
                reply.addDecisions(ActiveDecision.newBuilder()
                        .setDecision(ByteString.copyFrom(DECISIONS.encode(entry.decision())))
                        .setState(dev.ringfence.feedback.protocol.EnforcementState.valueOf(entry.state().name()))
                        .setReceivedNs(entry.receivedEpochNs())
                        .setUntilNs(entry.untilEpochNs())
                        .setAttempts(entry.attempts()));
            }
            return reply.build();
        });
    }

    private static SubmitReply reply(IntakeResult result) {
        Verdict verdict = switch (result.outcome()) {
            case ACCEPTED -> Verdict.ACCEPTED;
            case DUPLICATE -> Verdict.DUPLICATE;
            case REFUSED, NOT_FOUND -> Verdict.REFUSED;
        };
        return SubmitReply.newBuilder()
                .setDecisionId(result.decisionId())
                .setVerdict(verdict)
                .setReason(result.reason() == null ? "" : result.reason())
                .build();
    }

    private static <R> void answer(StreamObserver<R> responses, Supplier<R> handler) {
        try {
            responses.onNext(handler.get());
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        } catch (RuntimeException e) {
            responses.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
