package dev.ringfence.sensor.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The mount table of this process (/proc/self/mountinfo): where cgroup v2, tracefs and bpffs are. */
public final class Mounts {
    /** One mountinfo line: the mount point and the file system type. */
    public record Mount(Path mountPoint, String type) {}

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final Path BPFFS = Path.of("/sys/fs/bpf");

    private final List<Mount> mounts;

    private Mounts(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    public static Mounts current() {
        try {
            return parse(Files.readAllLines(MOUNTINFO));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTINFO, e);
        }
    }

    /** mountinfo: "id parent major:minor root mountpoint options [optional...] - fstype source superoptions". */
    public static Mounts parse(List<String> lines) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 1 >= fields.length) {
                continue; // not a mount line; mountinfo has no other kind, but never trust a format blindly
            }
            mounts.add(new Mount(Path.of(unescape(fields[4])), fields[separator + 1]));
        }
        return new Mounts(mounts);
    }

    public Optional<Path> cgroup2() {
        return first("cgroup2");
    }

    public Optional<Path> tracefs() {
        return first("tracefs");
    }

    public Optional<Path> bpffs() {
        return first("bpf");
    }

    /** Syscall tracepoints need tracefs; mounts it at /sys/kernel/tracing when absent (root only). */
    public static Path ensureTracefs() {
        return ensureMounted("tracefs", TRACEFS);
    }

    /** Pinned enforcement state lives in bpffs; mounts it at /sys/fs/bpf when absent (root only). */
    public static Path ensureBpffs() {
        return ensureMounted("bpf", BPFFS);
    }

    private static Path ensureMounted(String type, Path mountPoint) {
        Optional<Path> mounted = current().first(type);
        if (mounted.isPresent()) {
            return mounted.get();
        }
        try {
            Process mount = new ProcessBuilder("mount", "-t", type, type, mountPoint.toString())
                    .redirectErrorStream(true).start();
            String output = new String(mount.getInputStream().readAllBytes()).strip();
            if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) {
                throw new IllegalStateException(type + " is not mounted and mounting it at " + mountPoint + " failed: " + output);
            }
            return mountPoint;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run mount for " + type, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while mounting " + type, e);
        }
    }

    private Optional<Path> first(String type) {
        return mounts.stream().filter(mount -> mount.type().equals(type)).map(Mount::mountPoint).findFirst();
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
