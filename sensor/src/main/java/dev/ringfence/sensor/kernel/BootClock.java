package dev.ringfence.sensor.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Instant;

/** Converts the kernel's boot clock (bpf_ktime_get_boot_ns) to Unix epoch nanoseconds. */
public final class BootClock {
    private static final int CLOCK_BOOTTIME = 7;
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private final long epochMinusBoot;

    private BootClock(long epochMinusBoot) {
        this.epochMinusBoot = epochMinusBoot;
    }

    public static BootClock calibrate() {
        long boot = nowBootNanos();
        Instant now = Instant.now();
        return new BootClock(now.getEpochSecond() * 1_000_000_000L + now.getNano() - boot);
    }

    public long toEpochNanos(long bootNanos) {
        return bootNanos + epochMinusBoot;
    }

    public static long nowBootNanos() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);
            int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_BOOTTIME, timespec);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_BOOTTIME) failed");
            }
            return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("clock_gettime(CLOCK_BOOTTIME) failed", e);
        }
    }
}
