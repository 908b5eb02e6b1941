package dev.ringfence.sensor;

import dev.ringfence.contract.Event;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.SensorHealth;
import dev.ringfence.sensor.bpf.MalformedRecordException;
import dev.ringfence.sensor.bpf.ProbeSet;
import dev.ringfence.sensor.enforce.Enforcement;
import dev.ringfence.sensor.bpf.RingBuffer;
import dev.ringfence.sensor.capture.DecodeContext;
import dev.ringfence.sensor.capture.EventKind;
import dev.ringfence.sensor.capture.KernelControls;
import dev.ringfence.sensor.capture.KernelEventDecoder;
import dev.ringfence.sensor.health.SensorCounters;
import dev.ringfence.sensor.health.SensorMetrics;
import dev.ringfence.sensor.identity.CgroupTree;
import dev.ringfence.sensor.identity.IdentityResolver;
import dev.ringfence.sensor.identity.LocalWorkload;
import dev.ringfence.sensor.identity.PodDirectory;
import dev.ringfence.sensor.identity.WorkloadFile;
import dev.ringfence.sensor.kernel.BootClock;
import dev.ringfence.sensor.kernel.Mounts;
import dev.ringfence.sensor.process.ProcessSnapshot;
import dev.ringfence.sensor.process.ProcessTable;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor: BPF capture, decoding, identity and lineage, health, handing every Event to a sink.
 * {@code try (Sensor sensor = Sensor.start(config, sink)) { ... }}. Needs root (CAP_BPF, CAP_PERFMON,
 * CAP_SYS_ADMIN for tracefs and cgroup attachment).
 */
public final class Sensor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sensor.class);
    private static final int POLL_MILLIS = 100;

    private final SensorConfig config;
    private final EventSink sink;
    private final ProbeSet probes;
    private final KernelControls controls;
    private final CgroupTree cgroups;
    private final IdentityResolver identities;
    private final ProcessTable processes = new ProcessTable(65_536);
    private final BootClock clock = BootClock.calibrate();
    private final BlockingQueue<byte[]> kernelRecords;
    /** Put in the kernel records' queue to wake the worker for a ready payload; not a record. */
    private static final byte[] WAKE = new byte[0];
    /** At most one WAKE waits in the queue: the queue's capacity is the kernel records'. */
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final ReadyPayloads readyPayloads;
    private final SensorCounters counters = new SensorCounters();
    private final Set<Path> watchedDirectories = new CopyOnWriteArraySet<>();
    private final RingBuffer ringBuffer;
    private final KernelEventDecoder decoder;
    private final long startedNanos = System.nanoTime();
    private final Thread poller;
    private final Thread worker;
    private final KubernetesClient kubernetes;
    private final PodDirectory pods;
    private final SensorMetrics metrics;
    private final Enforcement enforcement;
    private volatile boolean running = true;
    private boolean closed;
    private long sequence;

    private Sensor(SensorConfig config, EventSink sink) throws IOException {
        this.config = config;
        this.sink = sink;
        Mounts mounts = Mounts.current();
        Path cgroupRoot = mounts.cgroup2().orElseThrow(() -> new IllegalStateException(
                "no cgroup v2 hierarchy is mounted (looked for type cgroup2 in /proc/self/mountinfo)"));
        Path tracefs = Mounts.ensureTracefs();
        Files.createDirectories(config.runDirectory());
        this.cgroups = new CgroupTree(cgroupRoot);
        this.kernelRecords = new ArrayBlockingQueue<>(config.queueCapacity());
        this.readyPayloads = new ReadyPayloads(Sensor::now, this::wakeWorker);
        this.identities = new IdentityResolver(config.node(), config.cluster(), cgroups,
                config.workloadFile().map(WorkloadFile::read).orElse(List.of()), readyPayloads::add);
        this.probes = ProbeSet.load(ProbeSet.CAPTURE_OBJECTS, config.runDirectory().resolve("bpf"), cgroupRoot, tracefs, true,
                Map.of("rf_events", config.ringBufferBytes()));
        try {
            this.controls = new KernelControls(probes);
            controls.configure(config.watchAll(), config.events(), config.flowInterval(), config.throttleRate(), config.throttleBurst(),
                    config.ringDrainInterval());
            config.watchCgroups().forEach(this::watch);
            controls.watchFilePrefixes(config.filePrefixes());
            this.decoder = new KernelEventDecoder(new DecodeContext(config.node(), identities, processes), clock);
            this.ringBuffer = new RingBuffer(probes.map("rf_events"), config.ringBufferBytes(), this::enqueue);
        } catch (RuntimeException e) {
            probes.close();
            throw e;
        }
        this.kubernetes = config.kubernetes() ? new KubernetesClientBuilder().build() : null;
        this.pods = kubernetes == null ? null : PodDirectory.ofNode(kubernetes, config.node(), identities::podChanged);
        if (pods != null) {
            identities.usePods(pods);
        }
        snapshot();
        this.poller = Thread.ofPlatform().name("sensor-ringbuf").daemon().start(this::pollLoop);
        this.worker = Thread.ofPlatform().name("sensor-events").daemon().start(this::workLoop);
        this.metrics = config.metricsPort() > 0 ? SensorMetrics.serve(config.metricsPort(), this::health, counters) : null;
        this.enforcement = config.feedback().map(feedback -> Enforcement.start(feedback, config.isolationAllow(), config.node(),
                config.runDirectory().resolve("enforce"), cgroups, this::execStart, this::publish)).orElse(null);
        LOG.info("sensor started node={} watch_all={} events={} cgroup_root={}", config.node(), config.watchAll(),
                config.events(), cgroupRoot);
    }

    /** Loads and attaches the BPF programs and starts delivering events to the sink. */
    public static Sensor start(SensorConfig config, EventSink sink) {
        try {
            return new Sensor(config, sink);
        } catch (IOException e) {
            throw new IllegalStateException("sensor cannot start: " + e.getMessage(), e);
        }
    }

    /** Watches a cgroup directory and everything below it (only matters when not watching all). */
    public void watch(Path cgroupDirectory) {
        if (!Files.isDirectory(cgroupDirectory)) {
            throw new IllegalArgumentException("watch: " + cgroupDirectory + " is not a cgroup directory");
        }
        controls.watch(CgroupTree.idOf(cgroupDirectory));
        watchedDirectories.add(cgroupDirectory.toAbsolutePath().normalize());
    }

    public void unwatch(Path cgroupDirectory) {
        controls.unwatch(CgroupTree.idOf(cgroupDirectory));
        watchedDirectories.remove(cgroupDirectory.toAbsolutePath().normalize());
    }

    /** Local-host mode: declares a workload (its cgroup, labels, IPs), as a line of the workload file would. */
    public void registerWorkload(LocalWorkload workload) {
        identities.register(workload);
    }

    /** The exec start (boot clock ns) of a pid's current image, as its exec id names it; empty if unknown. */
    public java.util.OptionalLong execStart(int pid) {
        return probes.map("rf_procs").lookup(dev.ringfence.sensor.bpf.BpfMap.intKey(pid))
                .map(value -> java.util.OptionalLong.of(java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0)))
                .orElse(java.util.OptionalLong.empty());
    }

    /** Sends a payload (e.g. an enforcement action) out with the sensor's own events. */
    public void publish(SpecificRecord payload) {
        readyPayloads.add(payload);
    }

    /** Present when the sensor enforces decisions from a feedback service. */
    public Optional<Enforcement> enforcement() {
        return Optional.ofNullable(enforcement);
    }

    public Path cgroupRoot() {
        return cgroups.root();
    }

    /** The sensor's own report, as published on the health topic. */
    public SensorHealth health() {
        return counters.health(config.node(), uptimeSeconds(), controls.lost(), controls.throttled(),
                sink.spoolDropped(), sink.spoolPending(), ringBuffer.fill(), processes.size(),
                probes.map("rf_flows").keys().size());
    }

    private long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    }

    private void snapshot() throws IOException {
        ProcessSnapshot walk = new ProcessSnapshot(Path.of("/proc"), cgroups, probes.map("rf_procs"));
        List<ProcessExec> existing = walk.walk(new DecodeContext(config.node(), identities, processes), this::watched);
        if (config.events().contains(EventKind.EXEC)) {
            readyPayloads.addAll(existing);
        }
        LOG.info("sensor snapshot processes={}", existing.size());
    }

    /** User space's view of the kernel's selector, for what user space emits itself (the start-up walk). */
    private boolean watched(String cgroupPath) {
        if (config.watchAll()) {
            return true;
        }
        Path directory = cgroups.directoryOf(cgroupPath).normalize();
        return watchedDirectories.stream().anyMatch(directory::startsWith);
    }

    /** Ring-buffer upcall: never blocks; a full queue is counted. */
    private void enqueue(byte[] record) {
        if (!kernelRecords.offer(record)) {
            counters.userLost();
        }
    }

    private void pollLoop() {
        while (running) {
            try {
                ringBuffer.poll((int) config.ringDrainInterval().toMillis());
            } catch (RuntimeException e) {
                LOG.error("sensor ringbuf_poll_failed error={}", e.toString());
                running = false;
            }
        }
    }

    private void workLoop() {
        long nextHealth = System.nanoTime() + config.healthInterval().toNanos();
        while (running || !kernelRecords.isEmpty()) {
            try {
                drainReady();
                byte[] record = kernelRecords.poll();
                if (record == null) {
                    sink.flush();
                    record = kernelRecords.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                if (record != null) {
                    handle(record);
                }
                if (System.nanoTime() >= nextHealth) {
                    nextHealth = System.nanoTime() + config.healthInterval().toNanos();
                    clock.recalibrate();
                    emit(health(), now());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                counters.sinkFailure();
                LOG.warn("sensor event_failed error={}", e.toString());
            }
        }
        drainReady();
    }

    private void handle(byte[] record) {
        if (record == WAKE) {
            wakeQueued.set(false);
            drainReady();
            return;
        }
        KernelEventDecoder.Decoded decoded;
        try {
            decoded = decoder.decode(record);
        } catch (MalformedRecordException e) {
            counters.malformed();
            LOG.debug("sensor malformed_record reason={}", e.getMessage());
            return;
        }
        drainReady(); // identity updates the decoding announced go first
        emit(decoded.payload(), decoded.timeNs());
    }

    private void wakeWorker() {
        // a full queue needs no wake-up: the worker is busy with it and drains the ready payloads between records
        if (wakeQueued.compareAndSet(false, true) && !kernelRecords.offer(WAKE)) {
            wakeQueued.set(false);
        }
    }

    private void drainReady() {
        ReadyPayloads.Ready ready;
        while ((ready = readyPayloads.poll()) != null) {
            emit(ready.payload(), ready.timeNs());
        }
    }

    private void emit(SpecificRecord payload, long timeNs) {
        Event event = new Event(config.node(), timeNs, sequence++, payload);
        counters.emitted(payload.getSchema().getName());
        sink.accept(event);
    }

    private static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return; // the ring buffer and the BPF objects must be freed once
        }
        closed = true;
        running = false;
        try {
            // the poller leaves its loop when its wait in the ring ends: at the latest one drain interval from now
            poller.join(config.ringDrainInterval().plusSeconds(5).toMillis());
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (pods != null) {
            pods.close();
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (enforcement != null) {
            enforcement.close();
        }
        if (poller.isAlive()) {
            // freeing the ring under a thread still inside ring_buffer__poll would crash the process
            LOG.error("sensor ring_poller_still_running effect=\"ring buffer and BPF objects left to the process exit\"");
        } else {
            ringBuffer.close();
            probes.close();
        }
        sink.close();
        LOG.info("sensor stopped node={} events={}", config.node(), sequence);
    }
}
