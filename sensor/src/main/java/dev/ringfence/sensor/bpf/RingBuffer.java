package dev.ringfence.sensor.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;

/**
 * Consumer side of a BPF ring buffer. Each record is copied out in the upcall and handed to the
 * sink, which must be quick (it runs on the polling thread) and must not throw: anything it throws
 * is counted, never propagated into native code (that would kill the JVM).
 */
public final class RingBuffer implements AutoCloseable {
    private static final int EINTR = 4;
    private static final long PAGE = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment ringBuffer;
    private final Consumer<byte[]> sink;
    private final MemorySegment positions;
    private final long dataSize;
    private volatile long sinkFailures;

    public RingBuffer(BpfMap map, long dataSize, Consumer<byte[]> sink) {
        this.sink = sink;
        this.dataSize = dataSize;
        try {
            MemorySegment callback = Libbpf.LINKER.upcallStub(
                    MethodHandles.lookup().findVirtual(RingBuffer.class, "onSample",
                            MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class)).bindTo(this),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), arena);
            MemorySegment state = arena.allocate(Libbpf.CALL_STATE);
            ringBuffer = (MemorySegment) Libbpf.RING_BUFFER_NEW.invokeExact(state, map.fd(), callback,
                    MemorySegment.NULL, MemorySegment.NULL);
            if (ringBuffer.equals(MemorySegment.NULL)) {
                throw new BpfException("ring_buffer__new on map " + map.name(), Libbpf.errno(state));
            }
            positions = mapPositions(map.fd(), state);
        } catch (BpfException e) {
            arena.close();
            throw e;
        } catch (Throwable e) {
            arena.close();
            throw new BpfException("ring_buffer__new on map " + map.name(), e);
        }
    }

    /**
     * Waits up to timeoutMillis for a wakeup, then consumes all available records, also those the
     * kernel handed over without waking the reader (BPF_RB_NO_WAKEUP); returns how many.
     */
    public int poll(int timeoutMillis) {
        try {
            int rc = (int) Libbpf.RING_BUFFER_POLL.invokeExact(ringBuffer, timeoutMillis);
            if (rc < 0 && rc != -EINTR) {
                throw new BpfException("ring_buffer__poll", rc);
            }
            int drained = (int) Libbpf.RING_BUFFER_CONSUME.invokeExact(ringBuffer);
            if (drained < 0) {
                throw new BpfException("ring_buffer__consume", drained);
            }
            return Math.max(rc, 0) + drained;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("ring_buffer__poll", e);
        }
    }

    /** Share of the ring the kernel has written and user space not yet consumed, 0..1. */
    public double fill() {
        long consumer = positions.get(ValueLayout.JAVA_LONG, 0);
        long producer = positions.get(ValueLayout.JAVA_LONG, PAGE);
        return Math.max(0, Math.min(1.0, (double) (producer - consumer) / dataSize));
    }

    public long sinkFailures() {
        return sinkFailures;
    }

    private int onSample(MemorySegment context, MemorySegment data, long size) {
        try {
            sink.accept(data.reinterpret(size).toArray(ValueLayout.JAVA_BYTE));
        } catch (Throwable e) {
            sinkFailures++;
        }
        return 0;
    }

    /** The consumer page (offset 0) and the producer page after it, read-only. */
    private MemorySegment mapPositions(int fd, MemorySegment state) throws Throwable {
        int protRead = 1;
        int mapShared = 1;
        MemorySegment address = (MemorySegment) Libbpf.MMAP.invokeExact(state, MemorySegment.NULL, 2 * PAGE,
                protRead, mapShared, fd, 0L);
        if (address.address() == -1L) {
            throw new BpfException("mmap of the ring buffer positions", Libbpf.errno(state));
        }
        return address.reinterpret(2 * PAGE);
    }

    @Override
    public void close() {
        try {
            Libbpf.RING_BUFFER_FREE.invokeExact(ringBuffer);
            int ignored = (int) Libbpf.MUNMAP.invokeExact(positions, 2 * PAGE);
        } catch (Throwable e) {
            throw new BpfException("ring_buffer__free", e);
        } finally {
            arena.close();
        }
    }
}
