package dev.ringfence.sensor.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkNamespacesTest {
    @Test
    void oneProcessPerNamespaceAndOnlyProcesses(@TempDir Path proc) throws Exception {
        namespaceLink(proc, "1", "net:[4026531840]");
        namespaceLink(proc, "200", "net:[4026532001]");
        namespaceLink(proc, "201", "net:[4026532001]");
        namespaceLink(proc, "self", "net:[4026532999]");
        Files.createDirectories(proc.resolve("300")); // exited between the listing and the read: no ns/net

        List<String> pids = NetworkNamespaces.all(proc).stream()
                .map(link -> proc.relativize(link).getName(0).toString()).toList();

        // of two processes in one namespace, directory order picks which one stands for it
        assertThat(pids).hasSize(2).contains("1").anySatisfy(pid -> assertThat(pid).isIn("200", "201"));
        assertThat(NetworkNamespaces.all(proc)).allSatisfy(link -> assertThat(link.endsWith("ns/net")).isTrue());
    }

    private static void namespaceLink(Path proc, String pid, String target) throws Exception {
        Path ns = Files.createDirectories(proc.resolve(pid).resolve("ns"));
        Files.createSymbolicLink(ns.resolve("net"), Path.of(target));
    }
}
