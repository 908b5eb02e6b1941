package dev.ringfence.sensor.enforce;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A process held by a pidfd (glibc's pidfd_open / pidfd_send_signal): once open, a signal reaches
 * this process or none, never another one that reused its pid.
 */
public final class Pidfd implements AutoCloseable {
    public static final int SIGKILL = 9;
    public static final int SIGCONT = 18;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = downcall("pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SEND = downcall("pidfd_send_signal", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final long pid;
    private final int fd;

    private Pidfd(long pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /** Empty when no process has this pid. */
    public static Optional<Pidfd> open(long pid) {
        try {
            int fd = (int) OPEN.invokeExact((int) pid, 0);
            return fd < 0 ? Optional.empty() : Optional.of(new Pidfd(pid, fd));
        } catch (Throwable e) {
            throw new IllegalStateException("pidfd_open " + pid, e);
        }
    }

    public long pid() {
        return pid;
    }

    /** False when the process has exited meanwhile. */
    public boolean signal(int signal) {
        try {
            return (int) SEND.invokeExact(fd, signal, MemorySegment.NULL, 0) == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("pidfd_send_signal " + pid, e);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close pidfd " + pid, e);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(
                () -> new IllegalStateException("libc has no " + name + " (glibc 2.36 or later is needed)")), descriptor);
    }
}
