package dev.ringfence.sensor.enforce;

import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.bpf.ProbeSet;
import dev.ringfence.sensor.enforce.Enforcer.Hit;
import dev.ringfence.sensor.enforce.net.Destination;
import dev.ringfence.sensor.identity.CgroupTree;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Destroys the open TCP connections the policy maps refuse now, with the {@code iter/tcp} program run once per network
 * namespace (a TCP iterator only sees the namespace its fd was created in, and every pod has its own). The namespaces
 * of the workload a decision names are walked while the decision is applied: that is where its connections are, and
 * the ack counts them. The rest of the host is swept afterwards by one background thread, a namespace at a time, so a
 * decision is not held up behind a walk of every namespace (12-27 ms in the e2e demo, more on a busy node), and one
 * applied during a sweep waits for one namespace's walk at most; sweeps asked for while one waits are merged into it.
 * Every cut is reported as a HIT_CONNECTION_CUT.
 */
final class ConnectionCutter implements AutoCloseable {
    private static final String PROGRAM = "rf_cut_tcp";
    private static final Path PROC = Path.of("/proc");
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCutter.class);

    private final ProbeSet probes;
    private final CgroupTree cgroups;
    private final Consumer<Hit> onHit;
    private final Thread sweeper;
    /** Namespaces the waiting sweep may skip (walked by every decision it stands for); null when none waits. */
    private Set<String> sweepSkips;
    private boolean closed;

    ConnectionCutter(ProbeSet probes, CgroupTree cgroups, Consumer<Hit> onHit) {
        this.probes = probes;
        this.cgroups = cgroups;
        this.onHit = onHit;
        this.sweeper = Thread.ofPlatform().name("enforce-sweep").daemon().start(this::sweepLoop);
    }

    /**
     * Cuts the refused connections in the namespaces of {@code cgroupId}'s processes (and of the cgroups below it) now,
     * returns how many, and asks for a sweep of the rest of the host. A kernel without bpf_sock_destroy has no program:
     * new connections are refused, open ones run on (see sensor check).
     */
    int cut(long cgroupId) {
        if (!probes.attached(PROGRAM)) {
            return 0;
        }
        Map<String, Path> own = cgroups.pathOfRescanning(cgroupId)
                .map(path -> NetworkNamespaces.ofCgroup(PROC, cgroups.directoryOf(path)))
                .orElse(Map.of());
        int count = report(probes.runIteratorInEach(PROGRAM, List.copyOf(own.values())));
        requestSweep(own.keySet());
        return count;
    }

    private synchronized void requestSweep(Set<String> walked) {
        if (sweepSkips == null) {
            sweepSkips = new HashSet<>(walked);
        } else {
            sweepSkips.retainAll(walked);
        }
        notifyAll();
    }

    private void sweepLoop() {
        while (true) {
            Set<String> skips;
            synchronized (this) {
                while (sweepSkips == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                skips = sweepSkips;
                sweepSkips = null;
            }
            try {
                Map<String, Path> rest = NetworkNamespaces.all(PROC);
                rest.keySet().removeAll(skips);
                int count = 0;
                // one namespace per iterator run: a decision applied meanwhile waits for one walk, not for the sweep
                for (Path namespace : rest.values()) {
                    if (isClosed()) {
                        return;
                    }
                    count += report(probes.runIteratorInEach(PROGRAM, List.of(namespace)));
                }
                LOG.debug("enforce sweep namespaces={} cut={}", rest.size(), count);
            } catch (RuntimeException e) {
                // the maps still refuse every new connection; what stays open is what this sweep would have cut
                LOG.warn("enforce sweep_failed error=\"{}\"", e.getMessage(), e);
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Iterator lines: cgroup id, port, address as 32 hex digits. */
    private int report(String iteratorOutput) {
        int count = 0;
        for (String line : iteratorOutput.lines().toList()) {
            String[] fields = line.split(" ");
            long cgroupId = Long.parseUnsignedLong(fields[0]);
            int port = Integer.parseInt(fields[1]);
            byte[] addr = HexFormat.of().parseHex(fields[2]);
            LOG.info("enforce connection_cut cgroup={} port={}", cgroupId, port);
            onHit.accept(new Hit(KernelStructs.HIT_CONNECTION_CUT, 0, cgroupId, 0, 0, addr, port, Destination.Protocol.TCP.number));
            count++;
        }
        return count;
    }

    /** Stops the sweeper; a sweep under way stops after the namespace it walks (the iterator must not outlive its program). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            sweeper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
