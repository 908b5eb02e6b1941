package dev.ringfence.sensor.process;

/** exec_id = "<node>:<pid>:<start_ns>", start_ns the boot-clock time of the exec (or of the fork). */
public final class ExecIds {
    private ExecIds() {}

    public static String of(String node, int pid, long startNs) {
        return node + ":" + pid + ":" + startNs;
    }
}
