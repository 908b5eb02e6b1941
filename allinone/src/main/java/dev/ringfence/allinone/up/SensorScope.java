package dev.ringfence.allinone.up;

import dev.ringfence.sensor.identity.LocalWorkload;
import java.nio.file.Path;
import java.util.List;

/**
 * What the sensor of an all-in-one stack covers: the node name it reports as (its certificate is issued for it),
 * the cgroups it watches (empty: every cgroup) and the local workloads it knows by name. {@code up} runs the
 * whole host; {@code demo} narrows it to the demo's pods, under their own node name, so its enforcement never
 * touches anything else on the host.
 */
public record SensorScope(String node, List<Path> watch, List<LocalWorkload> workloads, boolean liveView) {
    public SensorScope {
        watch = List.copyOf(watch);
        workloads = List.copyOf(workloads);
    }

    /** {@code up}: this host under its own name, every cgroup, the live view on the console. */
    public static SensorScope host() {
        return new SensorScope(SensorStage.node(), List.of(), List.of(), true);
    }

    /** This host's node name, as the sensor names it by default. */
    public static String hostNode() {
        return SensorStage.node();
    }
}
