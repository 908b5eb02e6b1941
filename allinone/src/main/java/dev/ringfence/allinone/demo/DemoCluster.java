package dev.ringfence.allinone.demo;

import dev.ringfence.sensor.identity.LocalWorkload;
import dev.ringfence.sensor.kernel.Mounts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo "cluster" on this host: each pod is a cgroup v2 directory plus a network namespace with a veth on the
 * bridge {@code rfd-br0}, pod IPs from {@link #POD_CIDR}; a router namespace connects the bridge to the outside
 * host's namespace ({@link #PAYMENTS_IP}, {@link #DROP_IP}). Every name starts with {@code rfd-} and every cgroup
 * is below {@code <cgroup v2>/ringfence-demo}, so {@link #teardown()} finds and removes everything, also what a
 * crashed run left behind. Nothing outside those names is changed (IP forwarding is on in the router namespace
 * only).
 */
final class DemoCluster implements AutoCloseable {
    static final String POD_CIDR = "10.244.1.0/24";
    static final String CLUSTER_CIDR = "10.244.0.0/16";
    static final String SUBNET = "10.244.1";
    static final String GATEWAY = SUBNET + ".1";
    static final String PAYMENTS_IP = "198.51.100.10";
    static final String DROP_IP = "203.0.113.66";
    static final int SINK_PORT = 443;
    static final String NAMESPACE = "shop";
    private static final String PREFIX = "rfd-";
    private static final String BRIDGE = PREFIX + "br0";
    private static final String CGROUP_DIR = "ringfence-demo";
    private static final String ROUTER = PREFIX + "router";
    private static final String OUTSIDE = PREFIX + "outside";

    /** One workload of the demo. */
    record Pod(String namespace, String name, String ip, Map<String, String> labels, Path cgroup, String netns) {
        String key() {
            return namespace + "/" + name;
        }

        /** The workload key the sensor gives it. */
        String workloadKey() {
            return namespace + "/Pod/" + name;
        }

        LocalWorkload workload(Path cgroupRoot) {
            return new LocalWorkload(name, "/" + cgroupRoot.relativize(cgroup), labels, List.of(ip), namespace);
        }

        String netnsFile() {
            return "/run/netns/" + netns;
        }
    }

    private final Path cgroupRoot;
    private final Path bin;
    private final Path logs;
    private final List<Pod> pods;
    private final List<Process> services = new ArrayList<>();

    private DemoCluster(Path cgroupRoot, Path bin, Path logs, List<Pod> pods) {
        this.cgroupRoot = cgroupRoot;
        this.bin = bin;
        this.logs = logs;
        this.pods = pods;
    }

    static Path cgroupRoot() {
        return Mounts.current().cgroup2().orElseThrow(() -> new IllegalStateException("no cgroup v2 mount on this host"));
    }

    /** The pods' parent cgroup: what the sensor watches. */
    static Path podsCgroup() {
        return cgroupRoot().resolve(CGROUP_DIR).resolve("pods");
    }

    static List<Pod> plan() {
        Path pods = podsCgroup();
        return List.of(
                pod(pods, "frontend", 10, Map.of("app", "frontend", "tier", "web")),
                pod(pods, "api", 11, Map.of("app", "api", "tier", "backend")),
                pod(pods, "db", 12, Map.of("app", "db", "tier", "data")),
                pod(pods, "report", 13, Map.of("app", "report", "job", "nightly-report")));
    }

    private static Pod pod(Path parent, String name, int host, Map<String, String> labels) {
        return new Pod(NAMESPACE, name, SUBNET + "." + host, labels, parent.resolve(NAMESPACE + "-" + name), PREFIX + NAMESPACE + "-" + name);
    }

    /** Builds the network and the cgroups (no process runs yet); on failure removes what it made. */
    static DemoCluster create(Path demoDir) throws IOException {
        teardown();
        Path bin = demoDir.resolve("bin");
        Path logs = demoDir.resolve("logs");
        Files.createDirectories(bin);
        Files.createDirectories(logs);
        for (String script : List.of("podexec.py", "shop.py", "attack.py")) {
            try (InputStream in = DemoCluster.class.getResourceAsStream(script)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + script + " missing from the allinone jar");
                }
                Files.write(bin.resolve(script), in.readAllBytes());
            }
        }
        DemoCluster cluster = new DemoCluster(cgroupRoot(), bin, logs, plan());
        try {
            cluster.build();
            return cluster;
        } catch (RuntimeException | IOException e) {
            teardown();
            throw e;
        }
    }

    private void build() throws IOException {
        Files.createDirectories(cgroupRoot.resolve(CGROUP_DIR).resolve("pods"));
        Files.createDirectories(cgroupRoot.resolve(CGROUP_DIR).resolve("outside"));
        ip("link", "add", BRIDGE, "type", "bridge");
        ip("link", "set", BRIDGE, "up");
        for (String ns : List.of(ROUTER, OUTSIDE)) {
            ip("netns", "add", ns);
            ip("-n", ns, "link", "set", "lo", "up");
        }
        // router: eth0 on the bridge (the pods' gateway), eth1 to the outside host
        attach(ROUTER, "rfd-hr", GATEWAY + "/24");
        ip("link", "add", "rfd-ro", "netns", ROUTER, "type", "veth", "peer", "name", "eth0", "netns", OUTSIDE);
        ip("-n", ROUTER, "link", "set", "rfd-ro", "name", "eth1");
        ip("-n", ROUTER, "addr", "add", "198.51.100.1/24", "dev", "eth1");
        ip("-n", ROUTER, "addr", "add", "203.0.113.1/24", "dev", "eth1");
        ip("-n", ROUTER, "link", "set", "eth1", "up");
        ip("-n", OUTSIDE, "addr", "add", PAYMENTS_IP + "/24", "dev", "eth0");
        ip("-n", OUTSIDE, "addr", "add", DROP_IP + "/24", "dev", "eth0");
        ip("-n", OUTSIDE, "link", "set", "eth0", "up");
        ip("-n", OUTSIDE, "route", "add", CLUSTER_CIDR, "via", "198.51.100.1");
        run(List.of("ip", "netns", "exec", ROUTER, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        int index = 0;
        for (Pod pod : pods) {
            Files.createDirectories(pod.cgroup());
            ip("netns", "add", pod.netns());
            ip("-n", pod.netns(), "link", "set", "lo", "up");
            attach(pod.netns(), "rfd-h" + index++, pod.ip() + "/24");
            ip("-n", pod.netns(), "route", "add", "default", "via", GATEWAY);
        }
    }

    /** A veth from the bridge into {@code netns}, named eth0 there, with {@code address}. */
    private static void attach(String netns, String hostSide, String address) {
        ip("link", "add", hostSide, "type", "veth", "peer", "name", hostSide + "p", "netns", netns);
        ip("link", "set", hostSide, "master", BRIDGE);
        ip("link", "set", hostSide, "up");
        ip("-n", netns, "link", "set", hostSide + "p", "name", "eth0");
        ip("-n", netns, "addr", "add", address, "dev", "eth0");
        ip("-n", netns, "link", "set", "eth0", "up");
    }

    /** Starts the services: db, its admin endpoint, api, frontend (which drives the benign traffic), the outside host. */
    void startServices() throws IOException {
        Pod db = pod("db");
        Pod api = pod("api");
        startService(null, cgroupRoot.resolve(CGROUP_DIR).resolve("outside"), OUTSIDE, "outside", List.of("sink", "--port", "" + SINK_PORT));
        startService(db, db.cgroup(), db.netns(), "db", List.of("db", "--port", "5432"));
        startService(db, db.cgroup(), db.netns(), "db-admin", List.of("dbadmin", "--port", "9000"));
        startService(api, api.cgroup(), api.netns(), "api", List.of("api", "--port", "8080", "--db", db.ip() + ":5432",
                "--payments", PAYMENTS_IP + ":" + SINK_PORT));
        Pod frontend = pod("frontend");
        startService(frontend, frontend.cgroup(), frontend.netns(), "frontend", List.of("frontend", "--port", "80",
                "--api", api.ip() + ":8080", "--interval", "0.5"));
    }

    private void startService(Pod pod, Path cgroup, String netns, String log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-u", bin.resolve("shop.py").toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(podExec(cgroup, "/run/netns/" + netns, null, command))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(log + ".log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        services.add(process);
    }

    /** The periodic job: one run of the report in its pod (a CronJob's run), to its end. */
    int runReport() throws IOException, InterruptedException {
        Pod report = pod("report");
        Process process = new ProcessBuilder(podExec(report.cgroup(), report.netnsFile(), null,
                List.of("python3", bin.resolve("shop.py").toString(), "report", "--api", pod("api").ip() + ":8080")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("report.log").toFile())).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /** The launcher command that runs {@code command} in a cgroup and network namespace. */
    List<String> podExec(Path cgroup, String netnsFile, Path timing, List<String> command) {
        return podExec(bin, cgroup, netnsFile, timing, command);
    }

    static List<String> podExec(Path bin, Path cgroup, String netnsFile, Path timing, List<String> command) {
        List<String> full = new ArrayList<>(List.of("python3", bin.resolve("podexec.py").toString()));
        if (cgroup != null) {
            full.addAll(List.of("--cgroup", cgroup.toString()));
        }
        if (netnsFile != null) {
            full.addAll(List.of("--netns", netnsFile));
        }
        if (timing != null) {
            full.addAll(List.of("--timing", timing.toString()));
        }
        full.add("--");
        full.addAll(command);
        return full;
    }

    Path bin() {
        return bin;
    }

    Path logs() {
        return logs;
    }

    List<Pod> pods() {
        return pods;
    }

    Pod pod(String name) {
        return pods.stream().filter(pod -> pod.name().equals(name)).findFirst().orElseThrow();
    }

    /** Gives the outside host one more address (in 203.0.113.0/24), e.g. a fresh exfiltration destination. */
    static void addOutsideAddress(String address) {
        ip("-n", OUTSIDE, "addr", "add", address + "/24", "dev", "eth0");
    }

    List<LocalWorkload> workloads() {
        return pods.stream().map(pod -> pod.workload(cgroupRoot)).toList();
    }

    /** True while every service still runs. */
    boolean servicesAlive() {
        return services.stream().allMatch(Process::isAlive);
    }

    @Override
    public void close() {
        teardown();
    }

    /**
     * Removes every demo process, cgroup, namespace and link (idempotent; also what an earlier run left behind).
     * Returns what it removed, for {@code demo down}.
     */
    static List<String> teardown() {
        List<String> removed = new ArrayList<>();
        Path root;
        try {
            root = cgroupRoot().resolve(CGROUP_DIR);
        } catch (IllegalStateException e) {
            root = null;
        }
        if (root != null && Files.isDirectory(root)) {
            killAll(root);
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path dir : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.delete(dir);
                    } catch (IOException e) {
                        // still emptying: retried below
                        sleep(100);
                        try {
                            Files.deleteIfExists(dir);
                        } catch (IOException again) {
                            removed.add("could not remove cgroup " + dir + ": " + again.getMessage());
                        }
                    }
                }
                removed.add("cgroups " + root);
            } catch (IOException e) {
                removed.add("could not list " + root + ": " + e.getMessage());
            }
        }
        for (String ns : output(List.of("ip", "netns", "list"))) {
            String name = ns.split(" ")[0];
            if (name.startsWith(PREFIX)) {
                quietly(List.of("ip", "netns", "delete", name));
                removed.add("netns " + name);
            }
        }
        for (String line : output(List.of("ip", "-o", "link", "show"))) {
            String[] parts = line.split(":\\s+");
            if (parts.length > 1) {
                String name = parts[1].split("@")[0];
                if (name.startsWith(PREFIX)) {
                    quietly(List.of("ip", "link", "delete", name));
                    removed.add("link " + name);
                }
            }
        }
        return removed;
    }

    /** Kills every process below the demo cgroup (cgroup.kill, else SIGKILL each) and waits until they are gone. */
    private static void killAll(Path root) {
        Path kill = root.resolve("cgroup.kill");
        try {
            if (Files.exists(kill)) {
                Files.writeString(kill, "1");
            }
        } catch (IOException e) {
            // older kernel: one by one below
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            List<Long> pids = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path procs : walk.filter(path -> path.getFileName().toString().equals("cgroup.procs")).toList()) {
                    for (String pid : Files.readAllLines(procs)) {
                        if (!pid.isBlank()) {
                            pids.add(Long.parseLong(pid.strip()));
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                return;
            }
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            sleep(100);
        }
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst() + " (iproute2 installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void quietly(List<String> command) {
        try {
            run(command);
        } catch (RuntimeException e) {
            // already gone
        }
    }

    private static List<String> output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return text.lines().toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
