package dev.ringfence.sensor.process;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * User-space half of the process table: exec id -> binary, so records that only carry an exec id
 * (forks, flows, file opens) can name the program. Bounded, least recently used out first; exits do
 * not remove entries because flows of a process often close after it exits.
 *
 * <p>A full table is what every node's agent pays for, so an entry is kept small: keyed by the exec
 * id's numbers (the node part is this sensor's own), and a binary's path is held once however many
 * processes ran it (a fork and an exec per command would otherwise each keep their own copy).
 */
public final class ProcessTable {
    /** Distinct paths shared before the path cache starts over; far more programs than a node runs. */
    private static final int MAX_SHARED_PATHS = 4096;

    private record ExecKey(int pid, long startNs) {}

    private final Map<ExecKey, String> binaries;
    private final Map<String, String> sharedPaths = new HashMap<>();

    public ProcessTable(int capacity) {
        this.binaries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ExecKey, String> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The binary of the process whose exec id is (pid, startNs), as in {@link ExecIds#of}. */
    public synchronized void remember(int pid, long startNs, String binary) {
        binaries.put(new ExecKey(pid, startNs), shared(binary));
    }

    /** Empty for pid 0 (no such process: an unknown parent) and for processes not, or no longer, in the table. */
    public synchronized Optional<String> binaryOf(int pid, long startNs) {
        return pid == 0 ? Optional.empty() : Optional.ofNullable(binaries.get(new ExecKey(pid, startNs)));
    }

    public synchronized int size() {
        return binaries.size();
    }

    private String shared(String path) {
        String known = sharedPaths.get(path);
        if (known != null) {
            return known;
        }
        if (sharedPaths.size() >= MAX_SHARED_PATHS) {
            sharedPaths.clear();
        }
        sharedPaths.put(path, path);
        return path;
    }
}
