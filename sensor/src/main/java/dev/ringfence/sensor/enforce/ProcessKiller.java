package dev.ringfence.sensor.enforce;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Kills the process an exec id names, never another: the pid is pinned with a pidfd first, then
 * its exec start time (from the kernel's process table) must equal the exec id's, so a pid reused
 * after the check cannot receive the signal.
 */
final class ProcessKiller {
    private final ExecStarts starts;

    ProcessKiller(ExecStarts starts) {
        this.starts = starts;
    }

    /** Returns what was done, or throws Refused. */
    String kill(int pid, long startNs) {
        Optional<Pidfd> opened = Pidfd.open(pid);
        if (opened.isEmpty()) {
            throw new Refused("stale exec id: no process " + pid);
        }
        try (Pidfd process = opened.get()) {
            OptionalLong actual = starts.of(pid);
            if (actual.isEmpty() || actual.getAsLong() != startNs) {
                throw new Refused("stale exec id: pid " + pid + " now runs an exec started at "
                        + (actual.isPresent() ? actual.getAsLong() : "unknown"));
            }
            if (!process.signal(Pidfd.SIGKILL)) {
                throw new Refused("process " + pid + " exited before the kill");
            }
            return "SIGKILL pid " + pid;
        }
    }
}
