package dev.ringfence.sensor.publish;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.SensorHealth;
import dev.ringfence.contract.codec.ContractCodec;
import dev.ringfence.contract.kafka.KafkaClientSecurity;
import dev.ringfence.contract.kafka.RecordKeys;
import dev.ringfence.contract.kafka.Topic;
import dev.ringfence.sensor.EventSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events to Kafka (EVENTS; SensorHealth to HEALTH), Avro single-object encoded, keyed per the
 * contract, idempotent, compressed and batched. When the broker is unreachable, events go to the
 * on-disk spool (in order: the records in flight when the failure showed are spooled first); a
 * background thread replays the spool, oldest first, once the broker answers again.
 */
public final class KafkaPublisher implements EventSink {
    private record Failed(long seq, Spool.Entry entry) {}

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final ContractCodec<Event> CODEC = ContractCodec.of(Event.class);
    private static final long RETRY_MILLIS = 1000;
    /** Names the probe's client (and its network thread) at the broker and in thread dumps. */
    static final String PROBE_CLIENT_ID = "ringfence-sensor-probe";

    private final String bootstrapServers;
    private final KafkaClientSecurity security;
    private volatile KafkaProducer<byte[], byte[]> producer;
    /** Asks whether the broker is back while records are spooled; made by the first outage, closed once it drained. */
    private Admin probe; // the replayer's own
    private final Spool spool;
    private final Object lock = new Object();
    private final ConcurrentLinkedQueue<Failed> failed = new ConcurrentLinkedQueue<>();
    private final Thread replayer;
    private volatile boolean spooling;
    private volatile boolean running = true;

    public KafkaPublisher(String bootstrapServers, Path spoolDirectory, long spoolMaxBytes) {
        this(bootstrapServers, KafkaClientSecurity.NONE, spoolDirectory, spoolMaxBytes);
    }

    /** {@code security}: TLS/SASL settings from {@code --kafka-config}, given to the producer and the broker probe. */
    public KafkaPublisher(String bootstrapServers, KafkaClientSecurity security, Path spoolDirectory, long spoolMaxBytes) {
        this.bootstrapServers = bootstrapServers;
        this.security = security;
        this.producer = newProducer();
        this.spool = new Spool(spoolDirectory, spoolMaxBytes);
        this.spooling = !spool.isEmpty(); // what an earlier run could not deliver goes first
        this.replayer = Thread.ofPlatform().name("sensor-spool-replay").daemon().start(this::replayLoop);
    }

    static Map<String, Object> adminConfig(String bootstrapServers, KafkaClientSecurity security) {
        return security.applyTo(new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.CLIENT_ID_CONFIG, PROBE_CLIENT_ID)));
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(producerConfig(bootstrapServers, security), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> producerConfig(String bootstrapServers, KafkaClientSecurity security) {
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // an exec that must be killed leaves the node at once; under load records still gather into one batch
        // behind the single request in flight (below)
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // within the sensor's small heap (jvm/sensor.options); when the broker is slow and this fills up,
        // send() gives up after max.block.ms and the records go to the disk spool
        producerConfig.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024);
        // One request in flight per connection: when a batch fails for good, the batches behind it have
        // not been sent yet, and aborting the producer (see onFailure) sends them to the spool, in order.
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        // fail fast enough to start spooling within seconds of the broker going away
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "ringfence-sensor");
        return security.applyTo(producerConfig);
    }

    @Override
    public void accept(Event event) {
        Topic topic = event.getPayload() instanceof SensorHealth ? Topic.HEALTH : Topic.EVENTS;
        Spool.Entry entry = new Spool.Entry(topic.ordinal(), CODEC.encode(event));
        synchronized (lock) {
            if (!spooling && !failed.isEmpty()) {
                startSpooling();
            }
            if (spooling) {
                spool.append(entry);
                return;
            }
            try {
                KafkaProducer<byte[], byte[]> sender = producer;
                sender.send(record(entry), (metadata, error) -> {
                    if (error != null) {
                        onFailure(sender, new Failed(event.getSeq(), entry));
                    }
                });
            } catch (RuntimeException e) { // no metadata within max.block.ms: the broker is not there
                failed.add(new Failed(event.getSeq(), entry));
                startSpooling();
            }
        }
    }

    /**
     * A record failed for good: nothing queued behind it may reach the broker before it does, so the producer
     * is aborted at once (from its own I/O thread close() means close(0)), which fails every record still
     * queued; they all land in {@code failed} and go to the spool in sequence order.
     */
    private void onFailure(KafkaProducer<byte[], byte[]> sender, Failed failure) {
        failed.add(failure);
        if (sender == producer) {
            sender.close(Duration.ZERO);
        }
    }

    /** Waits for what is in flight, spools the failures in sequence order; new events follow them. */
    private void startSpooling() {
        KafkaProducer<byte[], byte[]> aborted = producer;
        aborted.close(Duration.ofSeconds(10)); // completes or fails everything it still holds
        producer = newProducer();
        List<Failed> failures = new ArrayList<>();
        Failed next;
        while ((next = failed.poll()) != null) {
            failures.add(next);
        }
        failures.sort(Comparator.comparingLong(Failed::seq));
        failures.forEach(failure -> spool.append(failure.entry()));
        spooling = true;
        LOG.warn("kafka unreachable spooled={} pending={}", failures.size(), spool.pending());
    }

    private void replayLoop() {
        try {
            while (running) {
                try {
                    if (spooling && reachable()) {
                        replay();
                    }
                    if (!spooling) {
                        // an admin client is a thread and buffers a node need not hold between outages
                        closeProbe();
                    }
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("kafka replay_failed error={}", e.toString());
                }
            }
        } finally {
            closeProbe();
        }
    }

    private void closeProbe() {
        if (probe != null) {
            probe.close(Duration.ofSeconds(2));
            probe = null;
        }
    }

    private void replay() {
        while (running) {
            Optional<Spool.Segment> segment = spool.oldest();
            if (segment.isEmpty()) {
                synchronized (lock) {
                    if (spool.isEmpty()) {
                        spooling = false;
                        LOG.info("kafka reachable spool=replayed");
                        return;
                    }
                }
                continue;
            }
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (Spool.Entry entry : segment.get().entries()) {
                sends.add(producer.send(record(entry)));
            }
            producer.flush();
            try {
                for (Future<RecordMetadata> send : sends) {
                    send.get(0, TimeUnit.MILLISECONDS);
                }
            } catch (Exception e) {
                spool.abandonReplay();
                LOG.warn("kafka replay_interrupted pending={} error={}", spool.pending(), e.toString());
                return;
            }
            spool.delivered(segment.get());
        }
    }

    private boolean reachable() {
        try {
            if (probe == null) {
                probe = Admin.create(adminConfig(bootstrapServers, security));
            }
            return !probe.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static ProducerRecord<byte[], byte[]> record(Spool.Entry entry) {
        Topic topic = Topic.values()[entry.topic()];
        Event event = CODEC.decode(entry.value());
        return new ProducerRecord<>(topic.topicName(), RecordKeys.keyOf(event).getBytes(StandardCharsets.UTF_8), entry.value());
    }

    @Override
    public long spoolDropped() {
        return spool.dropped();
    }

    @Override
    public long spoolPending() {
        return spool.pending();
    }

    @Override
    public void close() {
        running = false;
        replayer.interrupt();
        try {
            replayer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            producer.flush();
            if (!failed.isEmpty()) {
                startSpooling(); // kept for the next run
            }
        }
        producer.close();
        spool.close();
    }
}
