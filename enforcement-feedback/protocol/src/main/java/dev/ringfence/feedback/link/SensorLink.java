package dev.ringfence.feedback.link;

import dev.ringfence.contract.Decision;
import dev.ringfence.contract.DecisionAck;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.codec.ContractDecodingException;
import dev.ringfence.feedback.protocol.FromSensor;
import dev.ringfence.feedback.protocol.SensorLinksGrpc;
import dev.ringfence.feedback.protocol.ToSensor;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor's end of the feedback loop: dials the service with the node certificate, holds the
 * bidirectional stream, hands each received {@link Decision} to a listener and sends acks back.
 * The stream is re-opened with backoff whenever it breaks; on every (re)connect the service re-sends
 * what this node still owes an ack for, so the listener must treat decision ids idempotently.
 * Acks given while disconnected are kept (up to {@value #MAX_QUEUED_ACKS}) and sent after reconnecting.
 */
public final class SensorLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SensorLink.class);
    private static final int MAX_QUEUED_ACKS = 10_000;
    private static final ContractCodec<Decision> DECISIONS = ContractCodec.of(Decision.class);
    private static final ContractCodec<DecisionAck> ACKS = ContractCodec.of(DecisionAck.class);

    private final SensorLinkConfig config;
    private final Consumer<Decision> listener;
    private final ManagedChannel channel;
    private final ScheduledExecutorService reconnects;
    private final Deque<DecisionAck> unsentAcks = new ArrayDeque<>();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong droppedAcks = new AtomicLong();

    private StreamObserver<FromSensor> outbound;
    private CountDownLatch connected = new CountDownLatch(1);
    private String node;
    private Duration backoff;
    private boolean closed;

    private SensorLink(SensorLinkConfig config, Consumer<Decision> listener) {
        this.config = config;
        this.listener = listener;
        this.backoff = config.initialBackoff();
        this.channel = Grpc.newChannelBuilder(config.serviceAddress(), config.identity().clientCredentials())
                // the stream idles for hours: pings find a dead service or a dropped NAT mapping (service permits 10 s)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .build();
        this.reconnects = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sensor-link-reconnect");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A link that has not dialed yet: keep the reference (the listener acks through it), then {@link #start()}.
     * The listener runs on a gRPC thread, one decision at a time; it should hand the work off rather than block.
     */
    public static SensorLink create(SensorLinkConfig config, Consumer<Decision> listener) {
        if (config == null || listener == null) {
            throw new IllegalArgumentException("a sensor link needs a configuration and a decision listener");
        }
        return new SensorLink(config, listener);
    }

    /** Starts dialing; returns without waiting for the connection (see {@link #awaitConnected}). */
    public SensorLink start() {
        reconnects.execute(this::open);
        return this;
    }

    /** Sends an ack now, or after reconnecting when the stream is down. */
    public void ack(DecisionAck ack) {
        byte[] bytes = ACKS.encode(ack);
        synchronized (this) {
            if (outbound != null && connected.getCount() == 0) {
                outbound.onNext(FromSensor.newBuilder().setAck(ByteString.copyFrom(bytes)).build());
                return;
            }
            if (unsentAcks.size() >= MAX_QUEUED_ACKS) {
                unsentAcks.pollFirst();
                droppedAcks.incrementAndGet();
            }
            unsentAcks.addLast(ack);
        }
    }

    /** True once the service has welcomed this link on the current stream. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            latch = connected;
        }
        return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized boolean isConnected() {
        return outbound != null && connected.getCount() == 0;
    }

    /** The node the service recognised in this link's certificate; null before the first welcome. */
    public synchronized String node() {
        return node;
    }

    /** Decisions whose bytes were not a contract Decision (logged and skipped; the service re-sends). */
    public long undecodableDecisions() {
        return undecodable.get();
    }

    /** Acks dropped because more than {@value #MAX_QUEUED_ACKS} piled up while disconnected. */
    public long droppedAcks() {
        return droppedAcks.get();
    }

    @Override
    public void close() {
        StreamObserver<FromSensor> stream;
        synchronized (this) {
            closed = true;
            stream = outbound;
            outbound = null;
        }
        if (stream != null) {
            stream.onCompleted();
        }
        reconnects.shutdownNow();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void open() {
        synchronized (this) {
            if (closed) {
                return;
            }
            // our backoff paces the attempts; without this the channel adds its own, growing to minutes
            channel.resetConnectBackoff();
            Stream stream = new Stream();
            outbound = SensorLinksGrpc.newStub(channel).link(stream);
            stream.outbound = outbound;
        }
    }

    private void scheduleReconnect(Stream broken, Throwable cause) {
        Duration delay;
        boolean wasUp;
        synchronized (this) {
            if (closed || outbound != broken.outbound) {
                return;
            }
            wasUp = connected.getCount() == 0;
            outbound = null;
            if (wasUp) {
                // a fresh latch only when the old one fired: waiters on the pending one must see the next welcome
                connected = new CountDownLatch(1);
            }
            delay = backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
            backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff.multipliedBy(2);
        }
        Status status = Status.fromThrowable(cause);
        // one warning when the link drops, not one per failed attempt while the service stays away
        if (wasUp) {
            LOG.warn("event=link_down service={} status={} detail=\"{}\" retry_ms={}",
                    config.serviceAddress(), status.getCode(), status.getDescription(), delay.toMillis());
        } else {
            LOG.debug("event=link_retry service={} status={} detail=\"{}\" retry_ms={}",
                    config.serviceAddress(), status.getCode(), status.getDescription(), delay.toMillis());
        }
        try {
            reconnects.schedule(this::open, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // close() won the race: nothing to reconnect
        }
    }

    private void welcomed(Stream stream, String welcomedNode, int redelivering) {
        synchronized (this) {
            if (outbound != stream.outbound) {
                return;
            }
            node = welcomedNode;
            backoff = config.initialBackoff();
            while (!unsentAcks.isEmpty()) {
                outbound.onNext(FromSensor.newBuilder()
                        .setAck(ByteString.copyFrom(ACKS.encode(unsentAcks.pollFirst()))).build());
            }
            connected.countDown();
        }
        LOG.info("event=link_up service={} node={} redelivering={}", config.serviceAddress(), welcomedNode, redelivering);
    }

    private void received(byte[] bytes) {
        Decision decision;
        try {
            decision = DECISIONS.decode(bytes);
        } catch (ContractDecodingException e) {
            undecodable.incrementAndGet();
            LOG.warn("event=undecodable_decision reason=\"{}\"", e.getMessage());
            return;
        }
        try {
            listener.accept(decision);
        } catch (RuntimeException e) {
            // not acked: the service re-sends it, so a transient failure in the listener is retried
            LOG.error("event=decision_listener_failed decision_id={}", decision.getDecisionId(), e);
        }
    }

    /** One attempt at the stream; a broken one schedules the next attempt. */
    private final class Stream implements StreamObserver<ToSensor> {
        private StreamObserver<FromSensor> outbound;

        @Override
        public void onNext(ToSensor message) {
            switch (message.getBodyCase()) {
                case WELCOME -> welcomed(this, message.getWelcome().getNode(), message.getWelcome().getRedelivering());
                case DECISION -> received(message.getDecision().toByteArray());
                case BODY_NOT_SET -> LOG.warn("event=empty_message_from_service");
            }
        }

        @Override
        public void onError(Throwable cause) {
            scheduleReconnect(this, cause);
        }

        @Override
        public void onCompleted() {
            scheduleReconnect(this, Status.UNAVAILABLE.withDescription("service ended the stream").asRuntimeException());
        }
    }
}
