package dev.ringfence.sensor.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the measured workload and the tracers on different CPUs (workload on CPU 0, tracers on the rest).
 * On a small machine a tracer's user-space work otherwise shares the workload's CPU or, worse, changes how
 * the workload's own threads are scheduled (a single-process client/server storm runs faster when the
 * other CPU is busy), so wall and CPU ratios would measure scheduling, not the cost the tracer adds. BPF
 * programs run in the workload's context, so their cost still lands in the workload's own CPU time.
 */
final class CpuSplit {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    private CpuSplit() {}

    static boolean active() {
        return CPUS >= 2;
    }

    static List<String> workload(List<String> command) {
        return pinned("0", command);
    }

    static List<String> tracer(List<String> command) {
        return pinned(tracerCpus(), command);
    }

    static String describe() {
        return active() ? "workload pinned to CPU 0, tracers to CPU " + tracerCpus() : "one CPU: workload and tracers share it";
    }

    private static String tracerCpus() {
        return CPUS == 2 ? "1" : "1-" + (CPUS - 1);
    }

    private static List<String> pinned(String cpus, List<String> command) {
        if (!active()) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("taskset", "-c", cpus));
        full.addAll(command);
        return full;
    }
}
