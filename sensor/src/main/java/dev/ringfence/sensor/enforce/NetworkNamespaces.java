package dev.ringfence.sensor.enforce;

import dev.ringfence.sensor.kernel.ProcessDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's network namespaces, each as the {@code ns/net} link of one process in it: every pod has its own, and
 * a socket iterator only sees the sockets of one namespace at a time.
 */
final class NetworkNamespaces {
    private NetworkNamespaces() {}

    /** One path per namespace, the first process found in each; processes that exit meanwhile are skipped. */
    static List<Path> all(Path proc) {
        Map<String, Path> byNamespace = new LinkedHashMap<>();
        try {
            for (Path process : ProcessDirectories.of(proc)) {
                Path link = process.resolve("ns").resolve("net");
                try {
                    byNamespace.putIfAbsent(Files.readSymbolicLink(link).toString(), link);
                } catch (IOException gone) {
                    // exited, or a kernel thread without one: nothing to iterate there
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the processes in " + proc, e);
        }
        return new ArrayList<>(byNamespace.values());
    }
}
