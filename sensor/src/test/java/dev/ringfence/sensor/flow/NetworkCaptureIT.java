package dev.ringfence.sensor.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.FlowEnd;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.TransportProtocol;
import dev.ringfence.sensor.Sensor;
import dev.ringfence.sensor.SensorConfig;
import dev.ringfence.sensor.sandbox.CollectingSink;
import dev.ringfence.sensor.sandbox.TestCgroup;
import dev.ringfence.sensor.sandbox.TestNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real sockets between two network namespaces, processes in a test cgroup, flows aggregated in the kernel. */
class NetworkCaptureIT {
    private static final String SERVER = """
            import socket, sys
            host, port, expect, reply = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind((host, port)); server.listen(1)
            connection, _ = server.accept()
            got = 0
            while got < expect:
                chunk = connection.recv(65536)
                if not chunk: break
                got += len(chunk)
            connection.sendall(b'r' * reply)
            connection.close(); server.close()
            """;
    private static final String CLIENT = """
            import socket, sys, time
            host, port, send, expect, pause = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
            for attempt in range(100):
                try:
                    client = socket.create_connection((host, port)); break
                except OSError:
                    time.sleep(0.05)
            for piece in range(10):
                client.sendall(b's' * (send // 10 + (send % 10 if piece == 9 else 0)))
                time.sleep(pause)
            got = 0
            while got < expect:
                chunk = client.recv(65536)
                if not chunk: break
                got += len(chunk)
            client.close()
            """;
    /** A datagram to port 53 with the question ringfence.example.test behind the given 12-byte DNS header (hex). */
    private static final String DNS = """
            import socket, sys
            message = bytes.fromhex(sys.argv[2]) + b'\\x09ringfence\\x07example\\x04test\\x00' + b'\\x00\\x01\\x00\\x01'
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect((sys.argv[1], 53)); s.send(message); s.close()
            print(len(message))
            """;
    /** id 0x1234, recursion desired, one question. */
    private static final String QUERY_HEADER = "123401000001000000000000";
    /** The same as an answer: QR set, one question, one answer. */
    private static final String ANSWER_HEADER = "123481800001000100000000";

    private static TestCgroup cgroup;
    private static TestNetworks networks;
    private static Path scripts;
    private static CollectingSink sink;
    private static Sensor sensor;

    @BeforeAll
    static void start() throws IOException {
        cgroup = TestCgroup.create("net");
        networks = TestNetworks.create();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        scripts = Files.createDirectories(tmp.resolve("net-" + UUID.randomUUID().toString().substring(0, 8)));
        Files.writeString(scripts.resolve("server.py"), SERVER);
        Files.writeString(scripts.resolve("client.py"), CLIENT);
        Files.writeString(scripts.resolve("dns.py"), DNS);
        sink = new CollectingSink();
        sensor = Sensor.start(SensorConfig.builder()
                .node("it-net")
                .watchCgroups(List.of(cgroup.directory()))
                .flowInterval(Duration.ofMillis(300))
                .runDirectory(scripts.resolve("sensor"))
                .build(), sink);
    }

    @AfterAll
    static void stop() {
        if (sensor != null) {
            sensor.close();
        }
        if (cgroup != null) {
            cgroup.close();
        }
        if (networks != null) {
            networks.close();
        }
    }

    @Test
    void aTcpFlowBetweenTwoNamespacesHasExactBytesBothWaysAndItsOwners() throws Exception {
        int port = 18080;
        Process server = cgroup.start(networks.inB(List.of("python3", script("server.py"), networks.ipB(), "" + port, "12345", "6789")));
        Process client = cgroup.start(networks.inA(List.of("python3", script("client.py"), networks.ipB(), "" + port, "12345", "6789", "0.12")));
        assertThat(client.waitFor()).as(new String(client.getInputStream().readAllBytes())).isZero();
        assertThat(server.waitFor()).as(new String(server.getInputStream().readAllBytes())).isZero();

        // the client's connects while the server was not listening yet are failed flows to the same port
        NetworkFlow outbound = sink.awaitOne(NetworkFlow.class, flow -> flow.getEnd() != FlowEnd.ACTIVE && flow.getEnd() != FlowEnd.CONNECT_FAILED
                && flow.getRemote().getPort() == port && flow.getDirection() == FlowDirection.OUTBOUND);
        NetworkFlow inbound = sink.awaitOne(NetworkFlow.class, flow -> flow.getEnd() != FlowEnd.ACTIVE
                && flow.getLocal().getPort() == port && flow.getDirection() == FlowDirection.INBOUND);

        assertThat(outbound.getTransport()).isEqualTo(TransportProtocol.TCP);
        assertThat(outbound.getLocal().getIp()).isEqualTo(networks.ipA());
        assertThat(outbound.getRemote().getIp()).isEqualTo(networks.ipB());
        assertThat(outbound.getBytesSent()).isEqualTo(12345);
        assertThat(outbound.getBytesReceived()).isEqualTo(6789);
        assertThat(outbound.getPid()).isEqualTo((int) client.pid());
        assertThat(outbound.getNetns()).isEqualTo(networks.netnsA());
        assertThat(outbound.getEnd()).isEqualTo(FlowEnd.CLOSED);

        assertThat(inbound.getLocal().getIp()).isEqualTo(networks.ipB());
        assertThat(inbound.getRemote()).isEqualTo(outbound.getLocal());
        assertThat(inbound.getBytesSent()).isEqualTo(6789);
        assertThat(inbound.getBytesReceived()).isEqualTo(12345);
        assertThat(inbound.getPid()).isEqualTo((int) server.pid());
        assertThat(inbound.getNetns()).isEqualTo(networks.netnsB());

        for (NetworkFlow flow : List.of(outbound, inbound)) {
            assertThat(flow.getPacketsSent()).isPositive();
            assertThat(flow.getPacketsReceived()).isPositive();
            assertThat(flow.getBinary()).contains("python3");
            assertThat(flow.getCgroupId()).isEqualTo(cgroup.id());
            assertThat(flow.getExecId()).startsWith("it-net:" + flow.getPid() + ":");
        }
        // the client paced its sends over > 1 s: the kernel reported the live flow at the 300 ms interval
        List<NetworkFlow> interim = sink.payloads(NetworkFlow.class, flow -> flow.getFlowId().equals(outbound.getFlowId())
                && flow.getEnd() == FlowEnd.ACTIVE);
        assertThat(interim).isNotEmpty().allSatisfy(flow -> assertThat(flow.getBytesSent()).isBetween(1L, 12345L));
        // aggregation: a handful of records for this flow, not one per send
        assertThat(sink.payloads(NetworkFlow.class, flow -> flow.getFlowId().equals(outbound.getFlowId()))).hasSizeLessThan(10);
    }

    @Test
    void aBulkUploadOnOneConnectionIsReportedWhileItRunsByVolume() throws Exception {
        int port = 18082;
        int bytes = 24 << 20;
        CollectingSink volumeSink = new CollectingSink();
        // a second sensor whose interval never comes: only the 4 MiB volume steps can report the live flow
        try (Sensor hourly = Sensor.start(SensorConfig.builder().node("it-net-volume").watchCgroups(List.of(cgroup.directory()))
                .flowInterval(Duration.ofHours(1)).runDirectory(scripts.resolve("sensor-volume")).build(), volumeSink)) {
            Process server = cgroup.start(networks.inB(List.of("python3", script("server.py"), networks.ipB(), "" + port, "" + bytes, "10")));
            Process client = cgroup.start(networks.inA(List.of("python3", script("client.py"), networks.ipB(), "" + port, "" + bytes, "10", "0.2")));
            assertThat(client.waitFor()).as(new String(client.getInputStream().readAllBytes())).isZero();
            assertThat(server.waitFor()).as(new String(server.getInputStream().readAllBytes())).isZero();

            NetworkFlow closed = volumeSink.awaitOne(NetworkFlow.class, flow -> flow.getEnd() == FlowEnd.CLOSED
                    && flow.getRemote().getPort() == port && flow.getDirection() == FlowDirection.OUTBOUND);
            assertThat(closed.getBytesSent()).isEqualTo(bytes);
            List<NetworkFlow> live = volumeSink.payloads(NetworkFlow.class, flow -> flow.getFlowId().equals(closed.getFlowId())
                    && flow.getEnd() == FlowEnd.ACTIVE);
            // 10 sends of 2.4 MiB 200 ms apart cross a 4 MiB step about every other send
            assertThat(live).hasSizeBetween(2, 6).allSatisfy(flow -> assertThat(flow.getBytesSent()).isBetween(4L << 20, (long) bytes));
        }
    }

    @Test
    void aRefusedConnectIsAFailedFlowThatNamesItsDestination() throws Exception {
        int port = 18099; // nothing listens there: the peer answers the SYN with a RST
        Process client = cgroup.start(networks.inA(List.of("python3", "-c", "import socket, sys\n"
                + "s = socket.socket()\ntry:\n    s.connect((sys.argv[1], int(sys.argv[2])))\nexcept ConnectionRefusedError:\n    print('refused')\n",
                networks.ipB(), "" + port)));
        assertThat(new String(client.getInputStream().readAllBytes()).strip()).isEqualTo("refused");
        assertThat(client.waitFor()).isZero();

        NetworkFlow flow = sink.awaitOne(NetworkFlow.class, f -> f.getEnd() == FlowEnd.CONNECT_FAILED && f.getPid() != null
                && f.getPid() == (int) client.pid());
        assertThat(flow.getDirection()).isEqualTo(FlowDirection.OUTBOUND);
        assertThat(flow.getRemote().getIp()).isEqualTo(networks.ipB());
        assertThat(flow.getRemote().getPort()).isEqualTo(port);
        assertThat(flow.getLocal().getIp()).isEqualTo(networks.ipA());
        assertThat(flow.getBytesSent()).isZero();
    }

    @Test
    void aDnsQueryIsAUdpFlowToPort53WithItsQuestion() throws Exception {
        NetworkFlow flow = datagramToPort53(QUERY_HEADER);
        assertThat(flow.getDnsQuery()).isEqualTo("ringfence.example.test");
        assertThat(flow.getRemote().getIp()).isEqualTo(networks.ipB());
        assertThat(flow.getPacketsSent()).isEqualTo(1);
        assertThat(flow.getEnd()).isEqualTo(FlowEnd.CLOSED);
        assertThat(flow.getNetns()).isEqualTo(networks.netnsA());
    }

    @Test
    void aDatagramToPort53ThatIsNoQueryIsAFlowWithoutAQuestion() throws Exception {
        assertThat(datagramToPort53(ANSWER_HEADER).getDnsQuery()).isNull();
    }

    /** Sends dns.py's datagram behind this header from netns A to B; its UDP flow, with exactly the bytes sent. */
    private static NetworkFlow datagramToPort53(String header) throws Exception {
        Process sender = cgroup.start(networks.inA(List.of("python3", script("dns.py"), networks.ipB(), header)));
        String output = new String(sender.getInputStream().readAllBytes()).strip();
        assertThat(sender.waitFor()).as(output).isZero();
        NetworkFlow flow = sink.awaitOne(NetworkFlow.class, f -> f.getTransport() == TransportProtocol.UDP
                && f.getRemote().getPort() == 53 && f.getPid() != null && f.getPid() == (int) sender.pid());
        assertThat(flow.getBytesSent()).isEqualTo(Long.parseLong(output));
        return flow;
    }

    private static String script(String name) {
        return scripts.resolve(name).toString();
    }
}
