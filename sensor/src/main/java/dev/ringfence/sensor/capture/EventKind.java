package dev.ringfence.sensor.capture;

import dev.ringfence.sensor.bpf.KernelStructs;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of kernel records, their rf_event_type number, config name and contract record name. */
public enum EventKind {
    EXEC(KernelStructs.EV_EXEC, "ProcessExec"),
    FORK(KernelStructs.EV_FORK, "ProcessFork"),
    EXIT(KernelStructs.EV_EXIT, "ProcessExit"),
    FLOW(KernelStructs.EV_FLOW, "NetworkFlow"),
    FILE(KernelStructs.EV_FILE, "FileAccess"),
    PRIVILEGE(KernelStructs.EV_PRIV, "PrivilegeChange"),
    MODULE(KernelStructs.EV_MODULE, "KernelModuleLoad");

    private final int kernelType;
    private final String recordName;

    EventKind(int kernelType, String recordName) {
        this.kernelType = kernelType;
        this.recordName = recordName;
    }

    public int kernelType() {
        return kernelType;
    }

    public String recordName() {
        return recordName;
    }

    /** The name used in configuration: exec, fork, exit, flow, file, privilege, module. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventKind ofConfigName(String name) {
        for (EventKind kind : values()) {
            if (kind.configName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + name + "'; known: "
                + Arrays.stream(values()).map(EventKind::configName).collect(Collectors.joining(", ")));
    }

    public static EventKind ofKernelType(int type) {
        for (EventKind kind : values()) {
            if (kind.kernelType == type) {
                return kind;
            }
        }
        return null;
    }
}
