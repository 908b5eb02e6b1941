package dev.ringfence.sensor.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes libbpf's own messages (verifier logs, attach errors) to the logger, formatted by vsnprintf. */
final class LibbpfLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.ringfence.sensor.libbpf");
    private static final int WARN = 0;
    private static final int INFO = 1;
    private static final int MESSAGE_BYTES = 4096;
    private static volatile boolean installed;

    private LibbpfLog() {}

    static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            MemorySegment callback = Libbpf.LINKER.upcallStub(
                    MethodHandles.lookup().findStatic(LibbpfLog.class, "print",
                            MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class)),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            MemorySegment previous = (MemorySegment) Libbpf.SET_PRINT.invokeExact(callback);
            installed = true;
        } catch (Throwable e) {
            throw new BpfException("cannot install the libbpf print callback", e);
        }
    }

    /** libbpf_print_fn_t; must never throw into native code. */
    private static int print(int level, MemorySegment format, MemorySegment args) {
        try {
            boolean wanted = level == WARN ? LOG.isWarnEnabled() : level == INFO ? LOG.isInfoEnabled() : LOG.isDebugEnabled();
            if (!wanted) {
                return 0;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(MESSAGE_BYTES);
                int written = (int) Libbpf.VSNPRINTF.invokeExact(buffer, (long) MESSAGE_BYTES, format, args);
                String message = written < 0 ? "(unformattable libbpf message)" : buffer.getString(0).stripTrailing();
                if (level == WARN) {
                    LOG.warn("libbpf message={}", message);
                } else if (level == INFO) {
                    LOG.info("libbpf message={}", message);
                } else {
                    LOG.debug("libbpf message={}", message);
                }
            }
            return 0;
        } catch (Throwable e) {
            return -1;
        }
    }
}
