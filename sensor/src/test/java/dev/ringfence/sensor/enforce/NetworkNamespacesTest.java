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

        List<String> pids = NetworkNamespaces.all(proc).values().stream()
                .map(link -> proc.relativize(link).getName(0).toString()).toList();

        // of two processes in one namespace, directory order picks which one stands for it
        assertThat(pids).hasSize(2).contains("1").anySatisfy(pid -> assertThat(pid).isIn("200", "201"));
        assertThat(NetworkNamespaces.all(proc).values()).allSatisfy(link -> assertThat(link.endsWith("ns/net")).isTrue());
        assertThat(NetworkNamespaces.all(proc).keySet()).containsExactlyInAnyOrder("net:[4026531840]", "net:[4026532001]");
    }

    @Test
    void aCgroupsNamespacesAreThoseOfItsProcessesAndOfTheCgroupsBelowIt(@TempDir Path dir) throws Exception {
        Path proc = dir.resolve("proc");
        namespaceLink(proc, "1", "net:[4026531840]");
        namespaceLink(proc, "200", "net:[4026532001]");
        namespaceLink(proc, "300", "net:[4026532002]");
        namespaceLink(proc, "301", "net:[4026532002]");
        Path pod = Files.createDirectories(dir.resolve("cgroup/kubepods/pod-a"));
        Files.writeString(pod.resolve("cgroup.procs"), "");
        Files.writeString(Files.createDirectories(pod.resolve("container-1")).resolve("cgroup.procs"), "300\n301\n");
        Files.writeString(Files.createDirectories(pod.resolve("container-2")).resolve("cgroup.procs"), "999\n"); // exited

        assertThat(NetworkNamespaces.ofCgroup(proc, pod)).containsOnlyKeys("net:[4026532002]");
        assertThat(NetworkNamespaces.ofCgroup(proc, dir.resolve("cgroup/kubepods/gone"))).isEmpty();
    }

    private static void namespaceLink(Path proc, String pid, String target) throws Exception {
        Path ns = Files.createDirectories(proc.resolve(pid).resolve("ns"));
        Files.createSymbolicLink(ns.resolve("net"), Path.of(target));
    }
}
