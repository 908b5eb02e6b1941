package dev.ringfence.feedback.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.AckOutcome;
import dev.ringfence.contract.Decision;
import dev.ringfence.feedback.ca.IssuedCertificate;
import dev.ringfence.feedback.link.SensorLink;
import dev.ringfence.feedback.link.SensorLinkConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A sensor for tests: the real {@link SensorLink}, recording what it receives and acking as told. */
public final class TestSensor implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final LinkedBlockingQueue<Decision> inbox = new LinkedBlockingQueue<>();
    private final List<Decision> received = new CopyOnWriteArrayList<>();
    private final SensorLink link;

    private TestSensor(int port, IssuedCertificate certificate, AckOutcome autoAck) {
        SensorLinkConfig config = new SensorLinkConfig("localhost:" + port, certificate.tls(), Duration.ofMillis(50), Duration.ofMillis(500));
        link = SensorLink.create(config, decision -> {
            received.add(decision);
            inbox.add(decision);
            if (autoAck != null) {
                link().ack(Decisions.ack(decision, autoAck));
            }
        });
        link.start();
    }

    /** Connects and waits for the service's welcome. {@code autoAck} null: acks only when the test says so. */
    public static TestSensor connect(int port, IssuedCertificate certificate, AckOutcome autoAck) throws InterruptedException {
        TestSensor sensor = new TestSensor(port, certificate, autoAck);
        assertThat(sensor.link.awaitConnected(WAIT)).as("sensor link connected").isTrue();
        return sensor;
    }

    public SensorLink link() {
        return link;
    }

    public Decision next() throws InterruptedException {
        Decision decision = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(decision).as("a decision reached the sensor within " + WAIT).isNotNull();
        return decision;
    }

    public List<Decision> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        link.close();
    }
}
