package dev.ringfence.sensor.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcalls into the system libbpf (libbpf.so.1) and the few libc functions it needs around it.
 * Pointer-returning libbpf calls report failure as NULL + errno, int-returning ones as -errno:
 * the former capture errno at the call, because the JVM may clobber it before we could read it.
 */
final class Libbpf {
    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBBPF = SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    static final MethodHandle OPEN_FILE = libbpfWithErrno("bpf_object__open_file", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle LOAD = libbpf("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle CLOSE = libbpf("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle FIND_MAP = libbpf("bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle NEXT_MAP = libbpf("bpf_object__next_map", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle MAP_NAME = libbpf("bpf_map__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle MAP_FD = libbpf("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_KEY_SIZE = libbpf("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_VALUE_SIZE = libbpf("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_SET_MAX_ENTRIES = libbpf("bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle MAP_REUSE_FD = libbpf("bpf_map__reuse_fd", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle NEXT_PROGRAM = libbpf("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle PROGRAM_NAME = libbpf("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle PROGRAM_SECTION = libbpf("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle SET_AUTOLOAD = libbpf("bpf_program__set_autoload", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
    static final MethodHandle ATTACH = libbpfWithErrno("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle ATTACH_CGROUP = libbpfWithErrno("bpf_program__attach_cgroup", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle LINK_DESTROY = libbpf("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle LINK_PIN = libbpf("bpf_link__pin", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle LINK_FD = libbpf("bpf_link__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle ITER_CREATE = libbpf("bpf_iter_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle MAP_SET_PIN_PATH = libbpf("bpf_map__set_pin_path", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle MAP_LOOKUP = libbpf("bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle MAP_UPDATE = libbpf("bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    static final MethodHandle MAP_DELETE = libbpf("bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle MAP_NEXT_KEY = libbpf("bpf_map_get_next_key", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle RING_BUFFER_NEW = libbpfWithErrno("ring_buffer__new", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle RING_BUFFER_POLL = libbpf("ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle RING_BUFFER_CONSUME = libbpf("ring_buffer__consume", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle RING_BUFFER_FREE = libbpf("ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle NUM_POSSIBLE_CPUS = libbpf("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle SET_PRINT = libbpf("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle VSNPRINTF = libc("vsnprintf", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
    static final MethodHandle MMAP = libcWithErrno("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle OPEN = libcWithErrno("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle CLOSE_FD = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle SETNS = libcWithErrno("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle READ = libcWithErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    static final MethodHandle STRERROR = libc("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libbpf() {}

    static int errno(MemorySegment callState) {
        return (int) ERRNO_HANDLE.get(callState, 0L);
    }

    static String describe(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(Math.abs(errno));
            return message.reinterpret(256).getString(0) + " (errno " + Math.abs(errno) + ")";
        } catch (Throwable e) {
            return "errno " + Math.abs(errno);
        }
    }

    static String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(4096).getString(0);
    }

    private static MethodHandle libbpf(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(LIBBPF, name), descriptor);
    }

    private static MethodHandle libbpfWithErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(LIBBPF, name), descriptor, ERRNO);
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(LIBC, name), descriptor);
    }

    private static MethodHandle libcWithErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(LIBC, name), descriptor, ERRNO);
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
    }
}
