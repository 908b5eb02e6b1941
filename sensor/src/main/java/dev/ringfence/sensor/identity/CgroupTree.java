package dev.ringfence.sensor.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The cgroup v2 hierarchy: a cgroup's id is its directory's inode number. */
public final class CgroupTree {
    private static final long RESCAN_INTERVAL_NANOS = 1_000_000_000L;

    private final Path root;
    private final Map<Long, String> pathsById = new ConcurrentHashMap<>();
    private volatile long lastScanNanos = Long.MIN_VALUE / 2;

    public CgroupTree(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The directory of a cgroup path as {@link #pathOf} gives it (relative to the mount, starting with "/"). */
    public Path directoryOf(String cgroupPath) {
        return root.resolve(cgroupPath.substring(1));
    }

    public static long idOf(Path cgroupDirectory) {
        try {
            return (Long) Files.getAttribute(cgroupDirectory, "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat cgroup " + cgroupDirectory, e);
        }
    }

    /** The cgroup's path relative to the mount ("/" for the root), rescanning (at most once a second) on a miss. */
    public Optional<String> pathOf(long cgroupId) {
        return pathOf(cgroupId, System.nanoTime() - lastScanNanos > RESCAN_INTERVAL_NANOS);
    }

    /** As {@link #pathOf}, but a miss always rescans: for rare callers (a decision) that must find a cgroup made a moment ago. */
    public Optional<String> pathOfRescanning(long cgroupId) {
        return pathOf(cgroupId, true);
    }

    private Optional<String> pathOf(long cgroupId, boolean rescanOnMiss) {
        String path = pathsById.get(cgroupId);
        if (path == null && rescanOnMiss) {
            scan();
            path = pathsById.get(cgroupId);
        }
        return Optional.ofNullable(path);
    }

    public void remember(long cgroupId, String path) {
        pathsById.put(cgroupId, path);
    }

    private synchronized void scan() {
        lastScanNanos = System.nanoTime();
        try (Stream<Path> directories = Files.walk(root)) {
            directories.filter(Files::isDirectory).forEach(directory -> {
                try {
                    pathsById.put(idOf(directory), "/" + root.relativize(directory).toString());
                } catch (UncheckedIOException removedMeanwhile) {
                    // a cgroup removed during the walk has nothing left to resolve
                }
            });
        } catch (NoSuchFileException | UncheckedIOException removedMeanwhile) {
            // the walk raced with a removal; what was read is kept, the next miss rescans
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk cgroup tree " + root, e);
        }
        pathsById.replaceAll((id, path) -> path.equals("/") || path.equals("/.") ? "/" : path);
    }
}
