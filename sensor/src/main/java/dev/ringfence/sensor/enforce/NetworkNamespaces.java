package dev.ringfence.sensor.enforce;

import dev.ringfence.sensor.kernel.ProcessDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The host's network namespaces, each as the {@code ns/net} link of one process in it, keyed by the namespace
 * ({@code net:[inode]}): every pod has its own, and a socket iterator only sees the sockets of one namespace at a time.
 */
final class NetworkNamespaces {
    private NetworkNamespaces() {}

    /** Every namespace, the first process found in each; processes that exit meanwhile are skipped. */
    static Map<String, Path> all(Path proc) {
        Map<String, Path> byNamespace = new LinkedHashMap<>();
        try {
            for (Path process : ProcessDirectories.of(proc)) {
                add(process, byNamespace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the processes in " + proc, e);
        }
        return byNamespace;
    }

    /**
     * The namespaces of the processes in a cgroup and the cgroups below it: a workload's sockets live there, so a
     * block walks them before the rest of the host. Empty when the cgroup has gone.
     */
    static Map<String, Path> ofCgroup(Path proc, Path cgroupDirectory) {
        Map<String, Path> byNamespace = new LinkedHashMap<>();
        try (Stream<Path> directories = Files.walk(cgroupDirectory)) {
            for (Path directory : directories.filter(Files::isDirectory).toList()) {
                for (String pid : processesOf(directory)) {
                    add(proc.resolve(pid), byNamespace);
                }
            }
        } catch (NoSuchFileException | UncheckedIOException removedMeanwhile) {
            // the cgroup, or one below it, went during the walk: what was found stands
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk the cgroup " + cgroupDirectory, e);
        }
        return byNamespace;
    }

    private static List<String> processesOf(Path cgroupDirectory) throws IOException {
        try {
            return Files.readAllLines(cgroupDirectory.resolve("cgroup.procs")).stream().filter(line -> !line.isBlank()).toList();
        } catch (NoSuchFileException removedMeanwhile) {
            return List.of();
        }
    }

    private static void add(Path process, Map<String, Path> byNamespace) {
        Path link = process.resolve("ns").resolve("net");
        try {
            byNamespace.putIfAbsent(Files.readSymbolicLink(link).toString(), link);
        } catch (IOException gone) {
            // exited, or a kernel thread without one: nothing to iterate there
        }
    }
}
