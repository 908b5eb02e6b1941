package dev.ringfence.sensor.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor's BPF objects, loaded from the jar (bpf/NAME.o) in order, every later object reusing
 * the maps of the earlier ones with the same name, then every program attached. New concerns (e.g.
 * enforcement) add an object name; cgroup programs attach to the cgroup v2 root given.
 */
public final class ProbeSet implements AutoCloseable {
    /** One program's fate: attached, absent (this kernel has no such hook, e.g. no module syscalls), or failed. */
    public record Attachment(String object, String program, String hook, Status status, String detail) {}

    public enum Status { ATTACHED, ABSENT, FAILED }

    public static final List<String> CAPTURE_OBJECTS = List.of("process", "flow", "file", "privilege");

    private static final Logger LOG = LoggerFactory.getLogger(ProbeSet.class);

    private final List<BpfObject> objects = new ArrayList<>();
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final List<Attachment> attachments = new ArrayList<>();
    private final java.util.Set<String> absent = new java.util.HashSet<>();

    private ProbeSet() {}

    /**
     * Loads and attaches; with failFast a program that cannot attach aborts with its reason, without
     * it the failure is recorded in {@link #attachments()} (for `sensor check`).
     */
    public static ProbeSet load(List<String> objectNames, Path extractDir, Path cgroupRoot, Path tracefs, boolean failFast) {
        return load(objectNames, extractDir, cgroupRoot, tracefs, failFast, Map.of());
    }

    /** As above, sizing the named maps (e.g. the ring buffer) before the first object creates them. */
    public static ProbeSet load(List<String> objectNames, Path extractDir, Path cgroupRoot, Path tracefs, boolean failFast,
                                Map<String, Integer> mapSizes) {
        return load(objectNames, extractDir, cgroupRoot, tracefs, failFast, mapSizes, null);
    }

    /**
     * As above; with a pin directory (in bpffs), every map and link is pinned there and maps already
     * pinned by an earlier process are reused with their entries, so what they enforce outlives it.
     */
    public static ProbeSet load(List<String> objectNames, Path extractDir, Path cgroupRoot, Path tracefs, boolean failFast,
                                Map<String, Integer> mapSizes, Path pinDirectory) {
        ProbeSet set = new ProbeSet();
        try {
            for (String name : objectNames) {
                BpfObject object = BpfObject.open(name, extract(name, extractDir));
                set.objects.add(object);
                set.skipAbsentTracepoints(object, tracefs);
                set.skipProgramsMissingKfuncs(object);
                mapSizes.forEach(object::resize);
                object.shareMaps(set.maps);
                if (pinDirectory != null) {
                    createDirectories(pinDirectory);
                    object.pinMaps(pinDirectory);
                }
                object.load();
                object.maps().forEach(set.maps::putIfAbsent);
            }
            set.attachAll(cgroupRoot, failFast, pinDirectory);
            return set;
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
    }

    public BpfMap map(String name) {
        BpfMap map = maps.get(name);
        if (map == null) {
            throw new IllegalArgumentException("no BPF map named " + name + "; have " + maps.keySet());
        }
        return map;
    }

    /** Runs the attached iterator program of that name once in each network namespace; returns its output. */
    public String runIteratorInEach(String program, List<Path> namespaces) {
        return objects.stream().filter(object -> object.attached(program)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no attached iterator program " + program))
                .runIteratorInEach(program, namespaces);
    }

    public List<Attachment> attachments() {
        return List.copyOf(attachments);
    }

    private void attachAll(Path cgroupRoot, boolean failFast, Path pinDirectory) {
        int cgroupFd = openDirectory(cgroupRoot);
        try {
            for (BpfObject object : objects) {
                for (BpfObject.Program program : object.programs()) {
                    if (absent.contains(program.name())) {
                        continue;
                    }
                    try {
                        object.attach(program, cgroupFd, pinDirectory == null ? null : pinDirectory.resolve("link_" + program.name()));
                        attachments.add(new Attachment(object.name(), program.name(), program.section(), Status.ATTACHED, ""));
                    } catch (BpfException e) {
                        if (failFast) {
                            throw e;
                        }
                        attachments.add(new Attachment(object.name(), program.name(), program.section(), Status.FAILED, e.getMessage()));
                    }
                }
            }
            LOG.debug("bpf attached programs={}", attachments.size());
        } finally {
            closeFd(cgroupFd);
        }
    }

    /** Programs that call a kernel function older kernels lack; without it the object would not load at all. */
    private static final Map<String, String> REQUIRED_KFUNCS = Map.of("rf_cut_tcp", "bpf_sock_destroy");

    /** Leaves out a program whose kfunc this kernel's BTF does not name (bpf_sock_destroy is Linux 6.5+). */
    private void skipProgramsMissingKfuncs(BpfObject object) {
        for (BpfObject.Program program : object.programs()) {
            String kfunc = REQUIRED_KFUNCS.get(program.name());
            if (kfunc != null && !KernelBtf.names(kfunc)) {
                leaveOut(object, program, "this kernel has no " + kfunc);
            }
        }
    }

    /** Whether this set attached a program of that name (absent ones are not). */
    public boolean attached(String program) {
        return objects.stream().anyMatch(object -> object.attached(program));
    }

    /** A kernel without a syscall (e.g. CONFIG_MODULES=n) has no tracepoint for it: nothing to watch there. */
    private void skipAbsentTracepoints(BpfObject object, Path tracefs) {
        for (BpfObject.Program program : object.programs()) {
            String section = program.section();
            if (section.startsWith("tracepoint/") && !Files.isDirectory(tracefs.resolve("events").resolve(section.substring("tracepoint/".length())))) {
                leaveOut(object, program, "no such tracepoint in " + tracefs + "/events on this kernel");
            }
        }
    }

    /** Not loaded, not attached, listed as absent with the reason (for `sensor check`). */
    private void leaveOut(BpfObject object, BpfObject.Program program, String reason) {
        object.skip(program);
        absent.add(program.name());
        attachments.add(new Attachment(object.name(), program.name(), program.section(), Status.ABSENT, reason));
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pin directory " + dir, e);
        }
    }

    private static Path extract(String name, Path dir) {
        String resource = "/bpf/" + name + ".o";
        try (InputStream in = ProbeSet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("BPF object " + resource + " is not on the class path (was the sensor built with clang and bpftool?)");
            }
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".o");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource + " to " + dir, e);
        }
    }

    private static int openDirectory(Path directory) {
        try (Arena arena = Arena.ofConfined()) {
            var state = arena.allocate(Libbpf.CALL_STATE);
            int oRdonlyDirectory = 0x10000;
            int fd = (int) Libbpf.OPEN.invokeExact(state, arena.allocateFrom(directory.toString()), oRdonlyDirectory);
            if (fd < 0) {
                throw new BpfException("cannot open cgroup directory " + directory, Libbpf.errno(state));
            }
            return fd;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable e) {
            throw new BpfException("cannot open " + directory, e);
        }
    }

    private static void closeFd(int fd) {
        try {
            int ignored = (int) Libbpf.CLOSE_FD.invokeExact(fd);
        } catch (Throwable e) {
            LOG.warn("bpf close_failed fd={} error={}", fd, e.toString());
        }
    }

    @Override
    public void close() {
        for (int i = objects.size() - 1; i >= 0; i--) {
            objects.get(i).close();
        }
        objects.clear();
    }
}
