package dev.ringfence.sensor.enforce;

import dev.ringfence.sensor.bpf.BpfMap;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.bpf.ProbeSet;
import dev.ringfence.sensor.bpf.RingBuffer;
import dev.ringfence.sensor.enforce.exec.ExecPolicy;
import dev.ringfence.sensor.enforce.exec.FileIdentity;
import dev.ringfence.sensor.enforce.net.ConnectionPolicy;
import dev.ringfence.sensor.identity.CgroupTree;
import dev.ringfence.sensor.kernel.Mounts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel side of enforcement: loads the exec-policy and connection programs (cgroup hooks at
 * the cgroup v2 root), tells them which process is the sensor, and reports every action the kernel
 * takes (a {@link Hit}) from their ring buffer.
 */
public final class Enforcer implements AutoCloseable {
    /** One enforcement action taken in the kernel; kind is a KernelStructs.HIT_* value. */
    public record Hit(int kind, int pid, long cgroupId, long inode, long dev, byte[] addr, int port, int protocol) {}

    static final List<String> OBJECTS = List.of("enforce_exec", "enforce_net");
    private static final int HIT_BUFFER_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Enforcer.class);

    private final ProbeSet probes;
    private final RingBuffer hits;
    private final Thread poller;
    private final CountDownLatch reporting = new CountDownLatch(1);
    private final ExecPolicy exec;
    private final ConnectionPolicy connections;
    private final ConnectionCutter cutter;
    private volatile boolean running = true;

    private Enforcer(ProbeSet probes, CgroupTree cgroups, Consumer<Hit> onHit) {
        this.probes = probes;
        this.exec = new ExecPolicy(probes.map("rf_exec_modes"), probes.map("rf_exec_rules"));
        this.hits = new RingBuffer(probes.map("rf_enforce_hits"), HIT_BUFFER_BYTES, record -> dispatch(decode(record), onHit));
        this.cutter = new ConnectionCutter(probes, cgroups, onHit);
        this.connections = new ConnectionPolicy(probes.map("rf_net_blocks"), probes.map("rf_isolated"), probes.map("rf_isolation_allow"),
                cutter::cut);
        this.poller = Thread.ofPlatform().name("enforce-hits").daemon().start(this::pollLoop);
    }

    /**
     * Loads and attaches the enforcement programs; BPF objects are extracted under runDirectory.
     * With a pin directory (in bpffs, see {@link #pinDirectory}) maps and links are pinned there,
     * so blocks and exec verdicts stay in force while no sensor runs, and a new sensor takes over
     * the maps an earlier one pinned, entries included; null: they live as long as this process.
     */
    public static Enforcer start(Path runDirectory, Path pinDirectory, Consumer<Hit> onHit) {
        Path cgroupRoot = Mounts.current().cgroup2().orElseThrow(() -> new IllegalStateException("no cgroup v2 hierarchy is mounted"));
        Enforcer enforcer = startPaused(runDirectory, pinDirectory, new CgroupTree(cgroupRoot), onHit);
        enforcer.startReporting();
        return enforcer;
    }

    /**
     * As {@link #start}, but hits (held execs included) wait in the ring buffer until
     * {@link #startReporting()}: a sensor restarting over pinned maps first restores the policies,
     * so a process held while no sensor ran is judged against them, not let run. The programs attach at the root
     * of {@code cgroups}, the sensor's own view of the hierarchy, which also names the cgroup a block cuts first.
     */
    public static Enforcer startPaused(Path runDirectory, Path pinDirectory, CgroupTree cgroups, Consumer<Hit> onHit) {
        Path cgroupRoot = cgroups.root();
        ProbeSet probes = ProbeSet.load(OBJECTS, runDirectory.resolve("bpf"), cgroupRoot, Mounts.ensureTracefs(), true,
                Map.of("rf_enforce_hits", HIT_BUFFER_BYTES), pinDirectory);
        try {
            byte[] config = ByteBuffer.allocate((int) KernelStructs.ENFORCE_CONFIG.byteSize()).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0, (int) ProcessHandle.current().pid()).array();
            probes.map("rf_enforce_config").update(BpfMap.intKey(0), config, BpfMap.ANY);
            Enforcer enforcer = new Enforcer(probes, cgroups, onHit);
            LOG.info("enforcement started cgroup_root={}", cgroupRoot);
            return enforcer;
        } catch (RuntimeException e) {
            probes.close();
            throw e;
        }
    }

    /** Where a sensor for this node pins its enforcement state: bpffs (mounted if absent)/ringfence/NODE. */
    public static Path pinDirectory(String node) {
        return Mounts.ensureBpffs().resolve("ringfence").resolve(node);
    }

    /** Removes every pin in the directory: the links detach and the maps go once no process holds them. */
    public static void removePins(Path pinDirectory) {
        try (var pins = Files.list(pinDirectory)) {
            for (Path pin : pins.toList()) {
                Files.delete(pin);
            }
            Files.delete(pinDirectory);
        } catch (NoSuchFileException e) {
            // nothing pinned
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove pins in " + pinDirectory, e);
        }
    }

    /**
     * Entries in the kernel's policy maps (blocks, isolations, policed exec): what is in force for this node, whichever
     * sensor applied it; a sensor that took the pins over while this one still ran shares these maps.
     */
    public int policiesInKernel() {
        return probes.map("rf_net_blocks").keys().size() + probes.map("rf_isolated").keys().size()
                + probes.map("rf_exec_modes").keys().size();
    }

    public void startReporting() {
        reporting.countDown();
    }

    public ExecPolicy exec() {
        return exec;
    }

    public ConnectionPolicy connections() {
        return connections;
    }

    /** Held execs are judged here; only what was actually done is reported. */
    private void dispatch(Hit hit, Consumer<Hit> onHit) {
        if (hit.kind() != KernelStructs.HIT_EXEC_HELD) {
            onHit.accept(hit);
            return;
        }
        FileIdentity file = new FileIdentity(hit.inode(), hit.dev());
        if (exec.judgeHeld(hit.cgroupId(), hit.pid(), file) == ExecPolicy.Held.KILLED) {
            onHit.accept(new Hit(KernelStructs.HIT_EXEC_KILLED, hit.pid(), hit.cgroupId(), hit.inode(), hit.dev(), hit.addr(),
                    hit.port(), hit.protocol()));
        }
    }

    private static Hit decode(byte[] record) {
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        byte[] addr = new byte[16];
        b.get(32, addr);
        return new Hit(b.getInt(0), b.getInt(4), b.getLong(8), b.getLong(16), b.getLong(24), addr,
                Short.toUnsignedInt(b.getShort(48)), Byte.toUnsignedInt(b.get(50)));
    }

    private void pollLoop() {
        try {
            reporting.await();
        } catch (InterruptedException e) {
            return;
        }
        while (running) {
            hits.poll(100);
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt(); // if still waiting to report
        try {
            poller.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cutter.close();
        hits.close();
        probes.close();
    }
}
