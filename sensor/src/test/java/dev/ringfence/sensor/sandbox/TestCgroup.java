package dev.ringfence.sensor.sandbox;

import dev.ringfence.sensor.identity.CgroupTree;
import dev.ringfence.sensor.kernel.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A cgroup v2 directory made for a test; processes started through it run inside it. Removed on close. */
public final class TestCgroup implements AutoCloseable {
    private final Path directory;

    private TestCgroup(Path directory) {
        this.directory = directory;
    }

    public static TestCgroup create(String purpose) {
        Path root = Mounts.current().cgroup2().orElseThrow(() -> new IllegalStateException("no cgroup v2 mount"));
        Path directory = root.resolve("ringfence-test-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cgroup " + directory, e);
        }
        return new TestCgroup(directory);
    }

    public Path directory() {
        return directory;
    }

    public long id() {
        return CgroupTree.idOf(directory);
    }

    /** Path relative to the cgroup v2 mount, as the sensor reports it. */
    public String path() {
        return "/" + directory.getFileName();
    }

    /** Starts the command inside this cgroup: a shell joins the cgroup, then execs the command. */
    public Process start(List<String> command) {
        List<String> full = new ArrayList<>(List.of("sh", "-c", "echo $$ > " + directory.resolve("cgroup.procs") + " && exec \"$@\"", "sh"));
        full.addAll(command);
        try {
            return new ProcessBuilder(full).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs the command inside this cgroup to its end; returns its exit status. */
    public int run(List<String> command) {
        return Finished.of(start(command)).status();
    }

    @Override
    public void close() {
        try {
            for (String pid : Files.readAllLines(directory.resolve("cgroup.procs"))) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            for (int attempt = 0; attempt < 50 && !Files.readString(directory.resolve("cgroup.procs")).isBlank(); attempt++) {
                Thread.sleep(100);
            }
            // a killed process leaves cgroup.procs before the kernel lets go of the cgroup (EBUSY until it is reaped)
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.delete(directory);
                    return;
                } catch (java.nio.file.FileSystemException busy) {
                    if (attempt >= 50 || busy instanceof java.nio.file.NoSuchFileException) {
                        throw busy;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove cgroup " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
