package dev.ringfence.feedback.link;

import com.google.protobuf.ByteString;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import dev.ringfence.feedback.audit.AuditTrail;
import dev.ringfence.feedback.auth.PeerAuthentication;
import dev.ringfence.feedback.ca.PeerIdentity;
import dev.ringfence.feedback.ca.Role;
import dev.ringfence.feedback.metrics.FeedbackMetrics;
import dev.ringfence.feedback.protocol.FromSensor;
import dev.ringfence.feedback.protocol.SensorLinksGrpc;
import dev.ringfence.feedback.protocol.ToSensor;
import dev.ringfence.feedback.protocol.Welcome;
import dev.ringfence.feedback.route.DecisionLoop;
import dev.ringfence.feedback.route.DecisionRouter;
import dev.ringfence.feedback.route.SensorChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.Set;

/** The service's end of sensor links: a node certificate opens a stream that carries only that node's decisions. */
public final class SensorLinkService extends SensorLinksGrpc.SensorLinksImplBase {
    private static final ContractCodec<DecisionAck> ACKS = ContractCodec.of(DecisionAck.class);

    private final DecisionLoop loop;
    private final DecisionRouter router;
    private final AuditTrail audit;
    private final FeedbackMetrics metrics;
    private final Clock clock;
    private final SensorPods sensorPods;

    public SensorLinkService(DecisionLoop loop, DecisionRouter router, AuditTrail audit, FeedbackMetrics metrics, Clock clock) {
        this(loop, router, audit, metrics, clock, SensorPods.NONE);
    }

    public SensorLinkService(DecisionLoop loop, DecisionRouter router, AuditTrail audit, FeedbackMetrics metrics, Clock clock,
                             SensorPods sensorPods) {
        this.sensorPods = sensorPods;
        this.loop = loop;
        this.router = router;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The node a sensor link is for: the certificate's node, or the node the API server binds the certificate's
     * sensor pod to; PERMISSION_DENIED when a sensor pod cannot be resolved.
     */
    static PeerIdentity nodeOf(PeerIdentity caller, SensorPods sensorPods) {
        if (caller.role() == Role.NODE) {
            return caller;
        }
        String[] pod = caller.name().split("/", 3);
        return sensorPods.nodeOf(pod[0], pod[1], pod[2]).map(node -> new PeerIdentity(Role.NODE, node))
                .orElseThrow(() -> new StatusRuntimeException(Status.PERMISSION_DENIED.withDescription(
                        caller + " is not a running sensor pod this service resolves to a node")));
    }

    @Override
    public StreamObserver<FromSensor> link(StreamObserver<ToSensor> responses) {
        PeerIdentity node;
        try {
            node = nodeOf(PeerAuthentication.require(Set.of(Role.NODE, Role.SENSOR_POD), "hold a sensor link"), sensorPods);
        } catch (StatusRuntimeException refused) {
            responses.onError(refused);
            return new Ignored();
        }
        Channel channel = new Channel(node.name(), responses);
        loop.execute("sensor-connect", () -> router.connect(channel));
        return new StreamObserver<>() {
            @Override
            public void onNext(FromSensor message) {
                byte[] bytes = message.getAck().toByteArray();
                try {
                    DecisionAck ack = ACKS.decode(bytes);
                    loop.execute("ack", () -> router.ack(channel, ack));
                } catch (ContractDecodingException e) {
                    metrics.undecodable("sensor-ack");
                    audit.deadLetter(AuditTrail.deadLetter(clock, "sensor-link/" + node.name(), e.getMessage(), null, bytes));
                }
            }

            @Override
            public void onError(Throwable cause) {
                loop.execute("sensor-disconnect", () -> router.disconnect(channel));
            }

            @Override
            public void onCompleted() {
                loop.execute("sensor-disconnect", () -> {
                    router.disconnect(channel);
                    channel.end();
                });
            }
        };
    }

    /** Outbound side of one stream; used from the decision loop only, so sends never interleave. */
    private static final class Channel implements SensorChannel {
        private final String node;
        private final StreamObserver<ToSensor> responses;
        private boolean ended;

        Channel(String node, StreamObserver<ToSensor> responses) {
            this.node = node;
            this.responses = responses;
        }

        @Override
        public String node() {
            return node;
        }

        @Override
        public void welcome(int redelivering) {
            deliver(ToSensor.newBuilder().setWelcome(Welcome.newBuilder().setNode(node).setRedelivering(redelivering)).build());
        }

        @Override
        public void send(byte[] decision) {
            deliver(ToSensor.newBuilder().setDecision(ByteString.copyFrom(decision)).build());
        }

        @Override
        public void supersede() {
            if (!ended) {
                ended = true;
                responses.onError(Status.ALREADY_EXISTS.withDescription("superseded by a newer link of node " + node).asRuntimeException());
            }
        }

        void end() {
            if (!ended) {
                ended = true;
                responses.onCompleted();
            }
        }

        private void deliver(ToSensor message) {
            if (ended) {
                return;
            }
            try {
                responses.onNext(message);
            } catch (StatusRuntimeException | IllegalStateException cancelled) {
                // the sensor went away mid-send; its disconnect is already queued and the decision stays unacked
                ended = true;
            }
        }
    }

    private static final class Ignored implements StreamObserver<FromSensor> {
        @Override
        public void onNext(FromSensor message) {}

        @Override
        public void onError(Throwable cause) {}

        @Override
        public void onCompleted() {}
    }
}
