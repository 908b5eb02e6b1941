package dev.ringfence.sensor.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.enforce.exec.ExecPolicy;
import dev.ringfence.sensor.enforce.exec.FileIdentity;
import dev.ringfence.sensor.enforce.net.Cidr;
import dev.ringfence.sensor.enforce.net.Destination;
import dev.ringfence.sensor.enforce.net.Destination.Protocol;
import dev.ringfence.sensor.sandbox.TestCgroup;
import dev.ringfence.sensor.sandbox.TestNetworks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enforcement programs on this kernel against real processes in real cgroups. */
class EnforcementIT {
    private static final int KILLED = 128 + 9;

    @TempDir
    static Path dir;
    private static Enforcer enforcer;
    private static final ConcurrentLinkedQueue<Enforcer.Hit> HITS = new ConcurrentLinkedQueue<>();
    private static Loopback loopback;

    @BeforeAll
    static void start() throws IOException {
        enforcer = Enforcer.start(dir.resolve("run"), null, HITS::add);
        loopback = new Loopback(dir);
    }

    @AfterAll
    static void stop() throws IOException {
        if (loopback != null) {
            loopback.close();
        }
        if (enforcer != null) {
            enforcer.close();
        }
    }

    @Test
    void aDeniedBinaryDiesBeforeRunningEvenRenamedOrCopiedWhileOthersRun() throws IOException {
        Path victim = Files.copy(Path.of("/usr/bin/touch"), dir.resolve("victim"), StandardCopyOption.COPY_ATTRIBUTES);
        try (TestCgroup policed = TestCgroup.create("exec-deny"); TestCgroup other = TestCgroup.create("exec-other")) {
            enforcer.exec().police(policed.id(), ExecPolicy.Mode.DENY_LIST);
            enforcer.exec().list(policed.id(), victim);

            assertThat(policed.run(List.of(victim.toString(), dir.resolve("denied").toString()))).isEqualTo(KILLED);
            assertThat(dir.resolve("denied")).doesNotExist();
            Path renamed = Files.move(victim, dir.resolve("innocent-name"));
            assertThat(policed.run(List.of(renamed.toString(), dir.resolve("renamed").toString()))).isEqualTo(KILLED);
            assertThat(dir.resolve("renamed")).doesNotExist();
            Path copy = Files.copy(renamed, dir.resolve("copied"), StandardCopyOption.COPY_ATTRIBUTES);
            assertThat(FileIdentity.of(copy)).isNotEqualTo(FileIdentity.of(renamed));
            assertThat(policed.run(List.of(copy.toString(), dir.resolve("from-copy").toString()))).isEqualTo(KILLED);
            assertThat(dir.resolve("from-copy")).doesNotExist();
            assertThat(policed.run(List.of(copy.toString(), dir.resolve("from-copy-again").toString()))).as("cached verdict")
                    .isEqualTo(KILLED);

            assertThat(policed.run(List.of("/usr/bin/mkdir", dir.resolve("allowed").toString()))).isZero();
            assertThat(dir.resolve("allowed")).exists();
            assertThat(policed.run(List.of("/usr/bin/mkdir", dir.resolve("allowed-again").toString()))).isZero();
            assertThat(other.run(List.of(renamed.toString(), dir.resolve("elsewhere").toString()))).isZero();
            assertThat(HITS).anySatisfy(hit -> {
                assertThat(hit.kind()).isEqualTo(KernelStructs.HIT_EXEC_KILLED);
                assertThat(hit.cgroupId()).isEqualTo(policed.id());
                assertThat(new FileIdentity(hit.inode(), hit.dev())).isEqualTo(FileIdentity.of(renamed));
            });
            assertThat(HITS).anySatisfy(hit -> assertThat(new FileIdentity(hit.inode(), hit.dev())).isEqualTo(FileIdentity.of(copy)));
            enforcer.exec().unpolice(policed.id());
            assertThat(policed.run(List.of(renamed.toString(), dir.resolve("unpoliced").toString()))).isZero();
        }
    }

    @Test
    void anAllowListKillsEveryOtherBinary() throws IOException {
        Path tool = Files.copy(Path.of("/usr/bin/touch"), dir.resolve("approved"), StandardCopyOption.COPY_ATTRIBUTES);
        Path other = Files.copy(Path.of("/usr/bin/mkdir"), dir.resolve("unapproved"), StandardCopyOption.COPY_ATTRIBUTES);
        try (TestCgroup policed = TestCgroup.create("exec-allow")) {
            enforcer.exec().police(policed.id(), ExecPolicy.Mode.ALLOW_LIST);
            enforcer.exec().list(policed.id(), tool);
            assertThat(policed.run(List.of(tool.toString(), dir.resolve("approved-ran").toString()))).isZero();
            assertThat(dir.resolve("approved-ran")).exists();
            assertThat(policed.run(List.of("/usr/bin/touch", dir.resolve("same-content").toString()))).as("same content, other inode")
                    .isZero();
            assertThat(policed.run(List.of(other.toString(), dir.resolve("not-approved").toString()))).isEqualTo(KILLED);
            assertThat(dir.resolve("not-approved")).doesNotExist();
            enforcer.exec().unpolice(policed.id());
        }
    }

    @Test
    void aBlockedDestinationGetsEpermWhileOtherWorkloadsAndDestinationsConnect() {
        int port = loopback.port();
        try (TestCgroup blocked = TestCgroup.create("net-block"); TestCgroup other = TestCgroup.create("net-other")) {
            long id = blocked.id();
            enforcer.connections().block(id, Destination.of("127.0.0.2/32", 0, Protocol.ANY));
            enforcer.connections().block(id, Destination.of("127.0.3.0/24", 0, Protocol.UDP));
            enforcer.connections().block(id, Destination.of("::1", port, Protocol.TCP));

            assertThat(reach(blocked, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.EPERM);
            assertThat(reach(blocked, "127.0.0.2", port, "udp")).isEqualTo(Loopback.EPERM);
            assertThat(reach(blocked, "127.0.3.9", port, "udp")).isEqualTo(Loopback.EPERM);
            assertThat(reach(blocked, "127.0.3.9", port, "tcp")).as("UDP-only block").isZero();
            assertThat(reach(blocked, "::1", port, "tcp")).isEqualTo(Loopback.EPERM);
            assertThat(reach(blocked, "::1", port, "udp")).as("TCP-only block").isZero();
            assertThat(reach(blocked, "127.0.0.1", port, "tcp")).isZero();
            assertThat(reach(other, "127.0.0.2", port, "tcp")).isZero();
            assertThat(reach(other, "::1", port, "tcp")).isZero();
            assertThat(HITS).anySatisfy(hit -> {
                assertThat(hit.kind()).isEqualTo(KernelStructs.HIT_CONNECT_REFUSED);
                assertThat(hit.cgroupId()).isEqualTo(id);
                assertThat(hit.port()).isEqualTo(port);
            });

            assertThat(enforcer.connections().unblock(id, Cidr.parse("127.0.0.2/32"))).isTrue();
            assertThat(reach(blocked, "127.0.0.2", port, "tcp")).isZero();
            enforcer.connections().unblock(id, Cidr.parse("127.0.3.0/24"));
            enforcer.connections().unblock(id, Cidr.parse("::1"));
        }
    }

    @Test
    void isolationCutsBothDirectionsExceptTheAllowlistUntilReleased() throws Exception {
        int port = loopback.port();
        int inbound = Loopback.freePort();
        enforcer.connections().allowWhileIsolated(Destination.of("127.0.0.1", port, Protocol.TCP));
        try (TestCgroup isolated = TestCgroup.create("net-isolate")) {
            Process listener = loopback.listenIn(isolated, inbound);
            assertThat(new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8)).readLine()).isEqualTo("ready");
            assertThat(Loopback.connects(inbound)).isTrue();

            enforcer.connections().isolate(isolated.id());
            assertThat(reach(isolated, "127.0.0.2", port, "tcp")).isEqualTo(Loopback.EPERM);
            assertThat(reach(isolated, "127.0.0.1", port, "udp")).isEqualTo(Loopback.EPERM);
            assertThat(reach(isolated, "127.0.0.1", port, "tcp")).as("allowlisted").isZero();
            assertThat(Loopback.connects(inbound)).as("inbound SYN dropped").isFalse();

            assertThat(enforcer.connections().release(isolated.id())).isTrue();
            assertThat(reach(isolated, "127.0.0.2", port, "tcp")).isZero();
            assertThat(Loopback.connects(inbound)).isTrue();
        }
    }

    @Test
    void aBlockEndsTheWorkloadsOpenConnectionsToThatDestinationOnly() throws Exception {
        int port = loopback.port();
        try (TestCgroup workload = TestCgroup.create("net-cut")) {
            Process toBlocked = loopback.holdIn(workload, "127.0.0.2", port);
            Process toOther = loopback.holdIn(workload, "127.0.0.1", port);
            BufferedReader blockedOutput = lines(toBlocked);
            BufferedReader otherOutput = lines(toOther);
            assertThat(blockedOutput.readLine()).isEqualTo("connected");
            assertThat(otherOutput.readLine()).isEqualTo("connected");

            int cut = enforcer.connections().block(workload.id(), Destination.of("127.0.0.2/32", 0, Protocol.TCP));

            assertThat(cut).isEqualTo(1);
            assertThat(blockedOutput.readLine()).isEqualTo("ECONNABORTED");
            assertThat(toBlocked.waitFor()).isEqualTo(3);
            assertThat(toOther.isAlive()).as("connection to a destination that is not blocked").isTrue();
            assertThat(HITS).anySatisfy(hit -> {
                assertThat(hit.kind()).isEqualTo(KernelStructs.HIT_CONNECTION_CUT);
                assertThat(hit.cgroupId()).isEqualTo(workload.id());
                assertThat(hit.port()).isEqualTo(port);
            });
            toOther.destroy();
            enforcer.connections().unblock(workload.id(), Cidr.parse("127.0.0.2/32"));
        }
    }

    @Test
    void aBlockEndsOpenConnectionsInsideThePodsOwnNetworkNamespace() throws Exception {
        int port = 18_443;
        try (TestNetworks networks = TestNetworks.create();
                TestCgroup outside = TestCgroup.create("net-cut-outside");
                TestCgroup pod = TestCgroup.create("net-cut-pod")) {
            Upload upload = connectedAcrossNamespaces(networks, outside, pod, loopback.holdCommand(networks.ipB(), port), port);

            // the socket lives in the pod's namespace, not in the sensor's
            int cut = enforcer.connections().block(pod.id(), Destination.of(networks.ipB() + "/32", port, Protocol.TCP));

            assertThat(cut).isEqualTo(1);
            assertThat(upload.output().readLine()).isEqualTo("ECONNABORTED");
            assertThat(upload.process().waitFor()).isEqualTo(3);
            enforcer.connections().unblock(pod.id(), Cidr.parse(networks.ipB() + "/32"));
        }
    }

    @Test
    void aBlockSweepsTheRestOfTheHostForTheWorkloadsConnectionsAfterCountingItsOwnNamespaces() throws Exception {
        int port = 18_444;
        try (TestNetworks networks = TestNetworks.create();
                TestCgroup outside = TestCgroup.create("net-sweep-outside");
                TestCgroup pod = TestCgroup.create("net-sweep-pod")) {
            Upload upload = connectedAcrossNamespaces(networks, outside, pod, loopback.holdThenMoveCommand(networks.ipB(), port, outside),
                    port);

            // the pod's socket is in namespace A, where none of the pod's processes are any more
            int cut = enforcer.connections().block(pod.id(), Destination.of(networks.ipB() + "/32", port, Protocol.TCP));

            assertThat(cut).as("the pod's own namespaces hold none of its connections").isZero();
            assertThat(upload.output().readLine()).as("cut by the sweep of the rest of the host").isEqualTo("ECONNABORTED");
            assertThat(upload.process().waitFor()).isEqualTo(3);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (HITS.stream().noneMatch(hit -> hit.kind() == KernelStructs.HIT_CONNECTION_CUT && hit.cgroupId() == pod.id())
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(HITS).as("the sweep's cut is reported").anySatisfy(hit -> {
                assertThat(hit.kind()).isEqualTo(KernelStructs.HIT_CONNECTION_CUT);
                assertThat(hit.cgroupId()).isEqualTo(pod.id());
                assertThat(hit.port()).isEqualTo(port);
            });
            enforcer.connections().unblock(pod.id(), Cidr.parse(networks.ipB() + "/32"));
        }
    }

    @Test
    void isolationEndsOpenConnectionsExceptToTheAllowlist() throws Exception {
        int port = loopback.port();
        try (TestCgroup isolated = TestCgroup.create("net-cut-isolate")) {
            enforcer.connections().allowWhileIsolated(Destination.of("127.0.0.3", port, Protocol.TCP));
            Process outbound = loopback.holdIn(isolated, "127.0.0.2", port);
            Process allowed = loopback.holdIn(isolated, "127.0.0.3", port);
            assertThat(lines(outbound).readLine()).isEqualTo("connected");
            assertThat(lines(allowed).readLine()).isEqualTo("connected");

            assertThat(enforcer.connections().isolate(isolated.id())).isEqualTo(1);
            assertThat(outbound.waitFor()).isEqualTo(3);
            assertThat(allowed.isAlive()).as("allowlisted destination").isTrue();
            allowed.destroy();
            enforcer.connections().release(isolated.id());
        }
    }

    private record Upload(Process process, BufferedReader output) {}

    /** A listener on B, in {@code outside}; then {@code command} in the pod on A, returned once it has connected to it. */
    private static Upload connectedAcrossNamespaces(TestNetworks networks, TestCgroup outside, TestCgroup pod, List<String> command,
            int port) throws IOException {
        Process listener = outside.start(networks.inB(loopback.listenCommand(networks.ipB(), port)));
        assertThat(lines(listener).readLine()).isEqualTo("ready");
        Process upload = pod.start(networks.inA(command));
        BufferedReader output = lines(upload);
        assertThat(output.readLine()).isEqualTo("connected");
        return new Upload(upload, output);
    }

    private static BufferedReader lines(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void badDestinationsAreRejected() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Cidr.parse("example.com")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Destination.of("::1", 70000, Protocol.TCP)).hasMessageContaining("port");
    }

    private static int reach(TestCgroup cgroup, String address, int port, String protocol) {
        return loopback.reach(cgroup, address, port, protocol);
    }
}
