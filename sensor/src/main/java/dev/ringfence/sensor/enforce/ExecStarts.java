package dev.ringfence.sensor.enforce;

import java.util.OptionalLong;

/** The exec start (boot clock ns, as in exec ids) the kernel's process table holds for a pid. */
@FunctionalInterface
public interface ExecStarts {
    OptionalLong of(int pid);
}
