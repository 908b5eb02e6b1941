package dev.ringfence.sensor.capture;

import dev.ringfence.sensor.bpf.BpfMap;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.bpf.ProbeSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What user space tells the BPF programs (filters, switches, limits) and reads back (loss counters). */
public final class KernelControls {
    private final BpfMap config;
    private final BpfMap watched;
    private final BpfMap filePrefixes;
    private final BpfMap lost;
    private final BpfMap throttled;

    public KernelControls(ProbeSet probes) {
        this.config = probes.map("rf_config_map");
        this.watched = probes.map("rf_watched");
        this.filePrefixes = probes.map("rf_file_prefixes");
        this.lost = probes.map("rf_lost");
        this.throttled = probes.map("rf_throttled");
    }

    /** watchAll false: only cgroups added with {@link #watch(long)} and their descendants. */
    public void configure(boolean watchAll, Set<EventKind> enabled, Duration flowInterval, long throttleRate, long throttleBurst,
                          Duration ringDrainInterval) {
        int mask = 0;
        for (EventKind kind : enabled) {
            mask |= 1 << kind.kernelType();
        }
        ByteBuffer value = buffer(KernelStructs.CONFIG.byteSize())
                .putInt(watchAll ? 1 : 0)
                .putInt(mask)
                .putLong(flowInterval.toNanos())
                .putLong(throttleRate)
                .putLong(throttleBurst)
                .putLong(ringDrainInterval.toNanos());
        config.update(BpfMap.intKey(0), value.array(), BpfMap.ANY);
    }

    public void watch(long cgroupId) {
        watched.update(BpfMap.longKey(cgroupId), new byte[] {1}, BpfMap.ANY);
    }

    public void unwatch(long cgroupId) {
        watched.delete(BpfMap.longKey(cgroupId));
    }

    public void watchFilePrefixes(List<String> prefixes) {
        for (String prefix : prefixes) {
            byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0 || bytes.length >= KernelStructs.FILE_PATH || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("file prefix '" + prefix + "' must be an absolute path shorter than "
                        + KernelStructs.FILE_PATH + " bytes");
            }
            ByteBuffer key = buffer(KernelStructs.FILE_KEY.byteSize()).putInt(bytes.length * 8).put(bytes);
            filePrefixes.update(key.array(), BpfMap.intKey(bytes.length), BpfMap.ANY);
        }
    }

    /** Failed ring-buffer reservations in the kernel, by kind. */
    public Map<EventKind, Long> lost() {
        return perKind(lost);
    }

    /** Events the per-cgroup token bucket held back, by kind. */
    public Map<EventKind, Long> throttled() {
        return perKind(throttled);
    }

    private static Map<EventKind, Long> perKind(BpfMap counters) {
        Map<EventKind, Long> counts = new EnumMap<>(EventKind.class);
        for (EventKind kind : EventKind.values()) {
            counts.put(kind, counters.sumPerCpu(kind.kernelType()));
        }
        return counts;
    }

    private static ByteBuffer buffer(long size) {
        return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
