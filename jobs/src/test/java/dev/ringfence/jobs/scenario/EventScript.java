package dev.ringfence.jobs.scenario;

import dev.ringfence.contract.Endpoint;
import dev.ringfence.contract.Event;
import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.FlowEnd;
import dev.ringfence.contract.IdentityChange;
import dev.ringfence.contract.IdentityUpdate;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.ProcessExec;
import dev.ringfence.contract.ProcessExit;
import dev.ringfence.contract.TransportProtocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes contract events the way sensors would report them: execs with parent links, exits, both sides of
 * east-west connections (one report per node), egress flows, identity updates. Times are offsets in ms from
 * a fixed epoch so scenarios are deterministic.
 */
public final class EventScript {
    public static final long EPOCH_NS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    private final List<Event> events = new ArrayList<>();
    private final Map<String, Long> seqByNode = new HashMap<>();
    private final Map<String, Integer> nextPid = new HashMap<>();
    private long nextCookie = 1;
    private int ephemeralPorts;

    public static long timeNs(long offsetMs) {
        return EPOCH_NS + offsetMs * 1_000_000L;
    }

    public List<Event> events() {
        return events;
    }

    /** The events written so far, in time order, and forgets them: long generators stream in chunks. */
    public List<Event> drain() {
        List<Event> chunk = inTimeOrder(events);
        events.clear();
        return chunk;
    }

    /** The events as sensors publish them: each in the order of its event time (stable for equal times). */
    public static List<Event> inTimeOrder(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparingLong(Event::getTimeNs));
        return sorted;
    }

    public EventScript identity(Pod pod, long atMs) {
        return add(pod.node(), atMs, IdentityUpdate.newBuilder().setChange(IdentityChange.UPSERT)
                .setWorkload(pod.identity()).build());
    }

    public EventScript identityDeleted(Pod pod, long atMs) {
        return add(pod.node(), atMs, IdentityUpdate.newBuilder().setChange(IdentityChange.DELETE)
                .setWorkload(pod.identity()).build());
    }

    public Proc exec(Pod pod, Proc parent, long atMs, String binary, String... argv) {
        int pid = nextPid.merge(pod.node(), 1, (a, b) -> a + 1) + 1000;
        return execWithPid(pod, parent, atMs, pid, binary, argv);
    }

    /** An exec with a chosen pid: reusing one shows that exec ids, not pids, identify processes. */
    public Proc execWithPid(Pod pod, Proc parent, long atMs, int pid, String binary, String... argv) {
        long startNs = timeNs(atMs);
        String execId = pod.node() + ":" + pid + ":" + startNs;
        List<String> args = new ArrayList<>();
        args.add(binary.substring(binary.lastIndexOf('/') + 1));
        args.addAll(Arrays.asList(argv));
        add(pod.node(), atMs, ProcessExec.newBuilder()
                .setExecId(execId)
                .setParentExecId(parent == null ? null : parent.execId())
                .setPid(pid).setTid(pid).setPpid(parent == null ? 1 : parent.pid())
                .setStartNs(startNs)
                .setBinary(binary)
                .setArgv(args)
                .setUid(1000).setEuid(1000).setGid(1000).setEgid(1000)
                .setCgroupId(pod.cgroupId())
                .setWorkload(pod.identity())
                .build());
        return new Proc(execId, pid, binary, pod);
    }

    public EventScript exit(Proc proc, long atMs) {
        return add(proc.pod().node(), atMs, ProcessExit.newBuilder()
                .setExecId(proc.execId()).setPid(proc.pid()).setStartNs(timeNs(atMs))
                .setCgroupId(proc.pod().cgroupId()).setWorkload(proc.pod().identity()).build());
    }

    /**
     * A TCP connection from {@code client} to {@code server} on {@code port}, reported at close by both nodes
     * (the server side only when {@code server} is not null, i.e. the connection was accepted).
     */
    public EventScript connect(Proc client, Pod serverPod, Proc server, int port, long atMs, FlowEnd end,
            long bytesSent, long bytesReceived) {
        return connect(client, serverPod, server, port, atMs, atMs, end, bytesSent, bytesReceived);
    }

    private EventScript connect(Proc client, Pod serverPod, Proc server, int port, long startMs, long reportMs,
            FlowEnd end, long bytesSent, long bytesReceived) {
        Endpoint clientEnd = new Endpoint(client.pod().ip(), nextEphemeralPort());
        Endpoint serverEnd = new Endpoint(serverPod.ip(), port);
        add(client.pod().node(), reportMs, flow(client, FlowDirection.OUTBOUND, clientEnd, serverEnd, startMs,
                reportMs, end, bytesSent, bytesReceived));
        if (server != null) {
            add(serverPod.node(), reportMs, flow(server, FlowDirection.INBOUND, serverEnd, clientEnd, startMs,
                    reportMs, end, bytesReceived, bytesSent));
        }
        return this;
    }

    /** A successful request/response between two pods. */
    public EventScript call(Proc client, Proc server, int port, long atMs) {
        return connect(client, server.pod(), server, port, atMs, FlowEnd.CLOSED, 800, 4_000);
    }

    /** A connection open from {@code startMs} and reported when it closes at {@code closeMs}. */
    public EventScript longCall(Proc client, Proc server, int port, long startMs, long closeMs) {
        return connect(client, server.pod(), server, port, startMs, closeMs, FlowEnd.CLOSED, 2_000, 40_000);
    }

    /** Traffic from a process to an address with no sensor on the other side (outside, or a dead port). */
    public EventScript outbound(Proc client, String ip, int port, long atMs, FlowEnd end, long bytesSent) {
        Endpoint clientEnd = new Endpoint(client.pod().ip(), nextEphemeralPort());
        return add(client.pod().node(), atMs, flow(client, FlowDirection.OUTBOUND, clientEnd, new Endpoint(ip, port),
                atMs, atMs, end, bytesSent, end == FlowEnd.CLOSED ? 1_000 : 0));
    }

    /** A connection accepted by {@code server} from an address without a sensor (a kubelet probe). */
    public EventScript inboundOnly(Proc server, String fromIp, int port, long atMs) {
        Endpoint serverEnd = new Endpoint(server.pod().ip(), port);
        return add(server.pod().node(), atMs, flow(server, FlowDirection.INBOUND, serverEnd,
                new Endpoint(fromIp, nextEphemeralPort()), atMs, atMs, FlowEnd.CLOSED, 120, 80));
    }

    /** One long connection reported every {@code intervalMs}: ACTIVE reports, then CLOSED; bytes are cumulative. */
    public EventScript longFlow(Proc client, String ip, int port, long startMs, long intervalMs, long... cumulativeSent) {
        Endpoint clientEnd = new Endpoint(client.pod().ip(), nextEphemeralPort());
        String flowId = client.pod().node() + ":" + nextCookie++;
        for (int i = 0; i < cumulativeSent.length; i++) {
            long atMs = startMs + i * intervalMs;
            boolean last = i == cumulativeSent.length - 1;
            NetworkFlow report = flow(client, FlowDirection.OUTBOUND, clientEnd, new Endpoint(ip, port), startMs,
                    atMs, last ? FlowEnd.CLOSED : FlowEnd.ACTIVE, cumulativeSent[i], 4_096L * (i + 1));
            report.setFlowId(flowId);
            report.setEndNs(last ? timeNs(atMs) : null);
            add(client.pod().node(), atMs, report);
        }
        return this;
    }

    /** Linux's default ephemeral range, reused round-robin: long scripts must stay valid. */
    private int nextEphemeralPort() {
        return 32_768 + ephemeralPorts++ % (60_999 - 32_768 + 1);
    }

    private NetworkFlow flow(Proc owner, FlowDirection direction, Endpoint local, Endpoint remote, long startMs,
            long reportMs, FlowEnd end, long sent, long received) {
        return NetworkFlow.newBuilder()
                .setFlowId(owner.pod().node() + ":" + nextCookie++)
                .setTransport(TransportProtocol.TCP)
                .setDirection(direction)
                .setLocal(local).setRemote(remote)
                .setNetns(4026531840L)
                .setBytesSent(sent).setBytesReceived(received)
                .setPacketsSent(Math.max(1, sent / 1400)).setPacketsReceived(Math.max(1, received / 1400))
                .setStartNs(timeNs(startMs)).setLastSeenNs(timeNs(reportMs)).setEndNs(timeNs(reportMs))
                .setEnd(end)
                .setTcpState(end == FlowEnd.CLOSED ? "TCP_CLOSE" : "TCP_SYN_SENT")
                .setExecId(owner.execId()).setPid(owner.pid()).setBinary(owner.binary())
                .setCgroupId(owner.pod().cgroupId())
                .setWorkload(owner.pod().identity())
                .build();
    }

    private EventScript add(String node, long atMs, Object payload) {
        long seq = seqByNode.merge(node, 1L, Long::sum);
        events.add(new Event(node, timeNs(atMs), seq, payload));
        return this;
    }
}
