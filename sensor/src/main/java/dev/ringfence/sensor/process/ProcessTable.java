package dev.ringfence.sensor.process;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * User-space half of the process table: exec id -> binary, so records that only carry an exec id
 * (forks, flows, file opens) can name the program. Bounded, least recently used out first; exits do
 * not remove entries because flows of a process often close after it exits.
 */
public final class ProcessTable {
    private final Map<String, String> binaries;

    public ProcessTable(int capacity) {
        this.binaries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String execId, String binary) {
        binaries.put(execId, binary);
    }

    public synchronized Optional<String> binaryOf(String execId) {
        return execId == null ? Optional.empty() : Optional.ofNullable(binaries.get(execId));
    }

    public synchronized int size() {
        return binaries.size();
    }
}
