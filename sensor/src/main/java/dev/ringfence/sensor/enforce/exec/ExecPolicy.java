package dev.ringfence.sensor.enforce.exec;

import dev.ringfence.sensor.bpf.BpfMap;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.enforce.Pidfd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which binaries may run in a workload (cgroup, matched exactly, not its descendants): with a deny
 * list, the files denied are killed at exec; with an allow list, every file not allowed is. Files are
 * judged by content (SHA-256) and the verdict cached in the kernel per inode + device, so a renamed
 * binary is killed by the kernel directly and a copy (new inode) is stopped at exec, fingerprinted
 * here, then killed or continued. The kernel never kills pid 1 or the sensor.
 */
public final class ExecPolicy {
    public enum Mode { DENY_LIST, ALLOW_LIST }

    /** What became of a process the kernel held at exec. */
    public enum Held { KILLED, CONTINUED, GONE }

    private static final Logger LOG = LoggerFactory.getLogger(ExecPolicy.class);

    private record Workload(Mode mode, Set<Fingerprint> listed) {}

    private final BpfMap modes;
    private final BpfMap rules;
    private final Map<Long, Workload> workloads = new ConcurrentHashMap<>();

    public ExecPolicy(BpfMap modes, BpfMap rules) {
        this.modes = modes;
        this.rules = rules;
    }

    /** Starts policing the workload; a workload already policed keeps its list if the mode is the same. */
    public void police(long cgroupId, Mode mode) {
        Workload previous = workloads.get(cgroupId);
        if (previous != null && previous.mode() == mode) {
            return;
        }
        clearRules(cgroupId);
        workloads.put(cgroupId, new Workload(mode, ConcurrentHashMap.newKeySet()));
        int value = mode == Mode.DENY_LIST ? KernelStructs.EXEC_MODE_DENY_LIST : KernelStructs.EXEC_MODE_ALLOW_LIST;
        modes.update(BpfMap.longKey(cgroupId), BpfMap.intKey(value), BpfMap.ANY);
    }

    /** Stops policing the workload and forgets its list and verdicts. */
    public void unpolice(long cgroupId) {
        modes.delete(BpfMap.longKey(cgroupId));
        workloads.remove(cgroupId);
        clearRules(cgroupId);
    }

    /** Puts the binary's content on the workload's list (denied or allowed, as its mode says). */
    public Fingerprint list(long cgroupId, Path binary) {
        Workload workload = workloads.get(cgroupId);
        if (workload == null) {
            throw new IllegalStateException("workload " + cgroupId + " is not policed");
        }
        Fingerprint fingerprint = Fingerprint.of(binary);
        workload.listed().add(fingerprint);
        boolean deny = workload.mode() == Mode.DENY_LIST;
        setVerdict(cgroupId, FileIdentity.of(binary), deny ? KernelStructs.EXEC_DENY : KernelStructs.EXEC_ALLOW);
        return fingerprint;
    }

    /** Takes content off the list; an emptied deny list stops policing, else cached verdicts are judged again. */
    public void unlist(long cgroupId, Fingerprint fingerprint) {
        Workload workload = workloads.get(cgroupId);
        if (workload == null) {
            return;
        }
        workload.listed().remove(fingerprint);
        if (workload.listed().isEmpty() && workload.mode() == Mode.DENY_LIST) {
            unpolice(cgroupId);
        } else {
            clearRules(cgroupId);
        }
    }

    /**
     * A process the kernel stopped at exec: judges the file it executes (read through
     * /proc/PID/exe, the very file mapped, whatever its name), caches the verdict for its inode,
     * and kills or continues it through a pidfd.
     */
    public Held judgeHeld(long cgroupId, long pid, FileIdentity file) {
        Workload workload = workloads.get(cgroupId);
        Optional<Pidfd> opened = Pidfd.open(pid);
        if (opened.isEmpty()) {
            return Held.GONE;
        }
        try (Pidfd process = opened.get()) {
            boolean allowed;
            if (workload == null) {
                allowed = true; // policing ended meanwhile
            } else {
                boolean listed = judge(workload, pid);
                allowed = workload.mode() == Mode.DENY_LIST ? !listed : listed;
                setVerdict(cgroupId, file, allowed ? KernelStructs.EXEC_ALLOW : KernelStructs.EXEC_DENY);
            }
            if (!process.signal(allowed ? Pidfd.SIGCONT : Pidfd.SIGKILL)) {
                return Held.GONE;
            }
            return allowed ? Held.CONTINUED : Held.KILLED;
        }
    }

    /** Unreadable files count as unlisted: an allow list kills them, a deny list lets them run. */
    private static boolean judge(Workload workload, long pid) {
        try {
            return workload.listed().contains(Fingerprint.of(Path.of("/proc", Long.toString(pid), "exe")));
        } catch (RuntimeException e) {
            LOG.warn("exec fingerprint_failed pid={} error={}", pid, e.toString());
            return false;
        }
    }

    /** Stops policing the workloads found in the (pinned) maps that this process was not told to police. */
    public int pruneUnowned() {
        int pruned = 0;
        for (byte[] key : modes.keys()) {
            long cgroupId = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (!workloads.containsKey(cgroupId)) {
                unpolice(cgroupId);
                pruned++;
            }
        }
        for (byte[] key : rules.keys()) {
            if (!workloads.containsKey(ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getLong(0))) {
                rules.delete(key);
            }
        }
        return pruned;
    }

    private void setVerdict(long cgroupId, FileIdentity file, int verdict) {
        rules.update(key(cgroupId, file), BpfMap.intKey(verdict), BpfMap.ANY);
    }

    private void clearRules(long cgroupId) {
        for (byte[] key : rules.keys()) {
            if (ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getLong(0) == cgroupId) {
                rules.delete(key);
            }
        }
    }

    private static byte[] key(long cgroupId, FileIdentity file) {
        return ByteBuffer.allocate((int) KernelStructs.EXEC_RULE_KEY.byteSize()).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(cgroupId).putLong(file.inode()).putLong(file.dev()).array();
    }
}
