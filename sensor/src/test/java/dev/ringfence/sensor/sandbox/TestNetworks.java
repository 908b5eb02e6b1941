package dev.ringfence.sensor.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Two network namespaces joined by a veth pair: a at 10.201.N.1, b at 10.201.N.2. Removed on close. */
public final class TestNetworks implements AutoCloseable {
    private final String a;
    private final String b;
    private final int subnet;

    private TestNetworks(String a, String b, int subnet) {
        this.a = a;
        this.b = b;
        this.subnet = subnet;
    }

    public static TestNetworks create() {
        int suffix = ThreadLocalRandom.current().nextInt(10_000, 99_999);
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        TestNetworks networks = new TestNetworks("rfa" + suffix, "rfb" + suffix, subnet);
        try {
            ip("netns", "add", networks.a);
            ip("netns", "add", networks.b);
            ip("link", "add", "va" + suffix, "netns", networks.a, "type", "veth", "peer", "name", "vb" + suffix, "netns", networks.b);
            ip("-n", networks.a, "addr", "add", networks.ipA() + "/24", "dev", "va" + suffix);
            ip("-n", networks.b, "addr", "add", networks.ipB() + "/24", "dev", "vb" + suffix);
            for (String[] link : new String[][] {{networks.a, "va" + suffix}, {networks.b, "vb" + suffix},
                    {networks.a, "lo"}, {networks.b, "lo"}}) {
                ip("-n", link[0], "link", "set", link[1], "up");
            }
            return networks;
        } catch (RuntimeException e) {
            networks.close();
            throw e;
        }
    }

    public String ipA() {
        return "10.201." + subnet + ".1";
    }

    public String ipB() {
        return "10.201." + subnet + ".2";
    }

    /** The command, prefixed to run in namespace a (for a process that already joined its cgroup). */
    public List<String> inA(List<String> command) {
        return in(a, command);
    }

    public List<String> inB(List<String> command) {
        return in(b, command);
    }

    public long netnsA() {
        return inode(a);
    }

    public long netnsB() {
        return inode(b);
    }

    private static List<String> in(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + namespace));
        full.addAll(command);
        return full;
    }

    private static long inode(String namespace) {
        try {
            return (Long) Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Finished finished;
        try {
            finished = Finished.of(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (finished.status() != 0) {
            throw new IllegalStateException(command + " failed: " + finished.output());
        }
    }

    @Override
    public void close() {
        for (String namespace : List.of(a, b)) {
            if (Files.exists(Path.of("/run/netns", namespace))) {
                ip("netns", "del", namespace);
            }
        }
    }
}
