package dev.ringfence.sensor.bpf;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** One BPF object file: opened, its shared maps bound to already loaded ones, loaded, attached. */
public final class BpfObject implements AutoCloseable {
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int ENOENT = 2;
    private static final int ESRCH = 3;

    /** A program of the object and the hook its section names (e.g. tp_btf/sched_process_exec). */
    public record Program(String name, String section, MemorySegment handle) {}

    private final String name;
    private final MemorySegment object;
    /** By program name. */
    private final Map<String, MemorySegment> links = new LinkedHashMap<>();
    private boolean closed;

    private BpfObject(String name, MemorySegment object) {
        this.name = name;
        this.object = object;
    }

    public static BpfObject open(String name, Path file) {
        LibbpfLog.install();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libbpf.CALL_STATE);
            MemorySegment object = (MemorySegment) Libbpf.OPEN_FILE.invokeExact(state,
                    arena.allocateFrom(file.toString()), MemorySegment.NULL);
            if (object.equals(MemorySegment.NULL)) {
                throw new BpfException("cannot open BPF object " + file, Libbpf.errno(state));
            }
            return new BpfObject(name, object);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("cannot open BPF object " + file, e);
        }
    }

    public String name() {
        return name;
    }

    /** Before load: maps with these names use the given instances instead of creating their own. */
    public void shareMaps(Map<String, BpfMap> loaded) {
        for (Map.Entry<String, MemorySegment> map : mapHandles().entrySet()) {
            BpfMap existing = loaded.get(map.getKey());
            if (existing == null) {
                continue;
            }
            try {
                int rc = (int) Libbpf.MAP_REUSE_FD.invokeExact(map.getValue(), existing.fd());
                if (rc < 0) {
                    throw new BpfException("object " + name + ": cannot share map " + map.getKey(), rc);
                }
            } catch (BpfException e) {
                throw e;
            } catch (Throwable e) {
                throw new BpfException("object " + name + ": cannot share map " + map.getKey(), e);
            }
        }
    }

    /** Before load: sizes a map (for a ring buffer, its data bytes: a power of two, multiple of the page size). */
    public void resize(String mapName, int maxEntries) {
        MemorySegment map = mapHandles().get(mapName);
        if (map == null) {
            return; // this object does not declare the map
        }
        try {
            int rc = (int) Libbpf.MAP_SET_MAX_ENTRIES.invokeExact(map, maxEntries);
            if (rc < 0) {
                throw new BpfException("object " + name + ": cannot size map " + mapName + " to " + maxEntries, rc);
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("object " + name + ": cannot size map " + mapName, e);
        }
    }

    /**
     * Before load: every map of the object lives pinned at dir/NAME. libbpf reuses a map already
     * pinned there (its entries survive the process that created it) and pins the ones it creates.
     */
    public void pinMaps(Path dir) {
        for (Map.Entry<String, MemorySegment> map : mapHandles().entrySet()) {
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) Libbpf.MAP_SET_PIN_PATH.invokeExact(map.getValue(), arena.allocateFrom(dir.resolve(map.getKey()).toString()));
                if (rc < 0) {
                    throw new BpfException("object " + name + ": cannot set pin path of map " + map.getKey(), rc);
                }
            } catch (BpfException e) {
                throw e;
            } catch (Throwable e) {
                throw new BpfException("object " + name + ": cannot set pin path of map " + map.getKey(), e);
            }
        }
    }

    /** Before load: leave a program out (a hook this kernel lacks). */
    public void skip(Program program) {
        try {
            int rc = (int) Libbpf.SET_AUTOLOAD.invokeExact(program.handle(), false);
            if (rc < 0) {
                throw new BpfException("object " + name + ": cannot skip program " + program.name(), rc);
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("object " + name + ": cannot skip program " + program.name(), e);
        }
    }

    public void load() {
        try {
            int rc = (int) Libbpf.LOAD.invokeExact(object);
            if (rc < 0) {
                throw new BpfException("cannot load BPF object " + name + " (the libbpf log above has the verifier's reason)", rc);
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("cannot load BPF object " + name, e);
        }
    }

    /** After load: the object's maps by name. */
    public Map<String, BpfMap> maps() {
        Map<String, BpfMap> maps = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, MemorySegment> map : mapHandles().entrySet()) {
                MemorySegment handle = map.getValue();
                int fd = (int) Libbpf.MAP_FD.invokeExact(handle);
                int keySize = (int) Libbpf.MAP_KEY_SIZE.invokeExact(handle);
                int valueSize = (int) Libbpf.MAP_VALUE_SIZE.invokeExact(handle);
                if (fd >= 0) {
                    maps.put(map.getKey(), new BpfMap(map.getKey(), fd, keySize, valueSize));
                }
            }
        } catch (Throwable e) {
            throw new BpfException("object " + name + ": cannot list maps", e);
        }
        return maps;
    }

    public List<Program> programs() {
        List<Program> programs = new ArrayList<>();
        try {
            MemorySegment program = MemorySegment.NULL;
            while (true) {
                program = (MemorySegment) Libbpf.NEXT_PROGRAM.invokeExact(object, program);
                if (program.equals(MemorySegment.NULL)) {
                    return programs;
                }
                programs.add(new Program(Libbpf.string((MemorySegment) Libbpf.PROGRAM_NAME.invokeExact(program)),
                        Libbpf.string((MemorySegment) Libbpf.PROGRAM_SECTION.invokeExact(program)), program));
            }
        } catch (Throwable e) {
            throw new BpfException("object " + name + ": cannot list programs", e);
        }
    }

    /** Attaches a loaded program to its hook; cgroup programs attach to the given cgroup directory fd. */
    public void attach(Program program, int cgroupFd) {
        attach(program, cgroupFd, null);
    }

    /** As above; with a pin path, the link outlives this process (until the pin is removed). */
    public void attach(Program program, int cgroupFd, Path pin) {
        boolean cgroupHook = program.section().startsWith("cgroup");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libbpf.CALL_STATE);
            MemorySegment link = cgroupHook
                    ? (MemorySegment) Libbpf.ATTACH_CGROUP.invokeExact(state, program.handle(), cgroupFd)
                    : (MemorySegment) Libbpf.ATTACH.invokeExact(state, program.handle());
            if (link.equals(MemorySegment.NULL)) {
                throw new BpfException("cannot attach " + program.name() + " to " + program.section(), Libbpf.errno(state));
            }
            links.put(program.name(), link);
            if (pin != null) {
                pin(link, pin);
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("cannot attach " + program.name(), e);
        }
    }

    /**
     * The new link is attached before the one pinned by an earlier process is unpinned (which
     * detaches it), so the hook is never without a program; the new one then takes the pin.
     */
    private void pin(MemorySegment link, Path pin) throws Throwable {
        Files.deleteIfExists(pin);
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) Libbpf.LINK_PIN.invokeExact(link, arena.allocateFrom(pin.toString()));
            if (rc < 0) {
                throw new BpfException("cannot pin link at " + pin, rc);
            }
        }
    }

    /** Whether this object attached a program of that name. */
    public boolean attached(String program) {
        return links.containsKey(program);
    }

    /**
     * Runs an attached iterator program once in each network namespace given (as {@code /proc/<pid>/ns/net}
     * paths) and returns what it wrote, in order. A socket iterator sees the sockets of the namespace its fd is
     * created in, so each fd is created after joining that namespace, on a thread of its own that ends with the
     * run: no other thread of the process ever changes namespace. A namespace whose process is gone is skipped.
     */
    public synchronized String runIteratorInEach(String program, List<Path> namespaces) {
        MemorySegment link = links.get(program);
        if (link == null) {
            throw new IllegalArgumentException("object " + name + " has no attached iterator " + program);
        }
        StringBuilder out = new StringBuilder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("rf-iter-" + program).start(() -> {
            try {
                for (Path namespace : namespaces) {
                    if (join(namespace)) {
                        out.append(readIterator(program, link));
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BpfException("interrupted while running iterator " + program, e);
        }
        Throwable error = failure.get();
        if (error instanceof BpfException bpf) {
            throw bpf;
        }
        if (error != null) {
            throw new BpfException("cannot run iterator " + program, error);
        }
        return out.toString();
    }

    /** Moves the calling thread into the network namespace; false when its process has gone. */
    private static boolean join(Path namespace) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libbpf.CALL_STATE);
            int fd = (int) Libbpf.OPEN.invokeExact(state, arena.allocateFrom(namespace.toString()), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                int errno = Libbpf.errno(state);
                if (errno == ENOENT || errno == ESRCH) {
                    return false;
                }
                throw new BpfException("cannot open network namespace " + namespace, errno);
            }
            try {
                if ((int) Libbpf.SETNS.invokeExact(state, fd, CLONE_NEWNET) < 0) {
                    throw new BpfException("cannot join network namespace " + namespace, Libbpf.errno(state));
                }
                return true;
            } finally {
                int ignored = (int) Libbpf.CLOSE_FD.invokeExact(fd);
            }
        }
    }

    private static String readIterator(String program, MemorySegment link) throws Throwable {
        int fd = (int) Libbpf.ITER_CREATE.invokeExact((int) Libbpf.LINK_FD.invokeExact(link));
        if (fd < 0) {
            throw new BpfException("cannot create an iterator from " + program, fd);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libbpf.CALL_STATE);
            MemorySegment buffer = arena.allocate(16 * 1024);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long read;
            while ((read = (long) Libbpf.READ.invokeExact(state, fd, buffer, buffer.byteSize())) > 0) {
                out.write(buffer.asSlice(0, read).toArray(ValueLayout.JAVA_BYTE));
            }
            if (read < 0) {
                throw new BpfException("iterator " + program + " failed", Libbpf.errno(state));
            }
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            int ignored = (int) Libbpf.CLOSE_FD.invokeExact(fd);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (MemorySegment link : links.values()) {
                int ignored = (int) Libbpf.LINK_DESTROY.invokeExact(link);
            }
            Libbpf.CLOSE.invokeExact(object);
        } catch (Throwable e) {
            throw new BpfException("cannot close BPF object " + name, e);
        }
    }

    private Map<String, MemorySegment> mapHandles() {
        Map<String, MemorySegment> handles = new LinkedHashMap<>();
        try {
            MemorySegment map = MemorySegment.NULL;
            while (true) {
                map = (MemorySegment) Libbpf.NEXT_MAP.invokeExact(object, map);
                if (map.equals(MemorySegment.NULL)) {
                    return handles;
                }
                String mapName = Libbpf.string((MemorySegment) Libbpf.MAP_NAME.invokeExact(map));
                // internal maps (.rodata, .bss: "<object name prefix>.rodata") belong to one object: never shared or pinned
                if (mapName != null && !mapName.contains(".")) {
                    handles.put(mapName, map);
                }
            }
        } catch (Throwable e) {
            throw new BpfException("object " + name + ": cannot list maps", e);
        }
    }
}
