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
import java.util.function.LongSupplier;

/**
 * Converts the kernel's boot clock (bpf_ktime_get_boot_ns) to Unix epoch nanoseconds. The offset is taken from the
 * tightest of several wall-clock readings bracketing a boot-clock reading: a single unbracketed pair put the first,
 * cold call's class loading (~14 ms here) between the two clocks, and every event's time that far in the future.
 * It is taken again from time to time ({@link #recalibrate()}): the wall clock can be stepped (the first NTP sync
 * after boot, often after a node agent started; an operator; a restored VM) while the boot clock runs on.
 */
public final class BootClock {
    private static final int CLOCK_BOOTTIME = 7;
    private static final int CALIBRATION_SAMPLES = 32;
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private final LongSupplier epochNanos;
    private final LongSupplier bootNanos;
    private volatile long epochMinusBoot;

    BootClock(LongSupplier epochNanos, LongSupplier bootNanos) {
        this.epochNanos = epochNanos;
        this.bootNanos = bootNanos;
        recalibrate();
    }

    public static BootClock calibrate() {
        return new BootClock(BootClock::nowEpochNanos, BootClock::nowBootNanos);
    }

    /** Takes the offset between the two clocks again. */
    public void recalibrate() {
        long tightest = Long.MAX_VALUE;
        long offset = 0;
        for (int sample = 0; sample < CALIBRATION_SAMPLES; sample++) {
            long before = epochNanos.getAsLong();
            long boot = bootNanos.getAsLong();
            long after = epochNanos.getAsLong();
            if (after - before < tightest) {
                tightest = after - before;
                offset = before + (after - before) / 2 - boot;
            }
        }
        epochMinusBoot = offset;
    }

    public long toEpochNanos(long bootClockNanos) {
        return bootClockNanos + epochMinusBoot;
    }

    private static long nowEpochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
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
