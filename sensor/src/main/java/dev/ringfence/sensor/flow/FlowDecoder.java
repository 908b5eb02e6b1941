package dev.ringfence.sensor.flow;

import dev.ringfence.contract.Endpoint;
import dev.ringfence.contract.FlowDirection;
import dev.ringfence.contract.FlowEnd;
import dev.ringfence.contract.IpFamily;
import dev.ringfence.contract.NetworkFlow;
import dev.ringfence.contract.TransportProtocol;
import dev.ringfence.sensor.bpf.KernelRecord;
import dev.ringfence.sensor.bpf.KernelStructs;
import dev.ringfence.sensor.capture.DecodeContext;
import dev.ringfence.sensor.capture.KernelHeader;
import dev.ringfence.sensor.kernel.BootClock;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** rf_flow records into NetworkFlow. */
public final class FlowDecoder {
    private static final int AF_INET6 = 10;
    private static final int IPPROTO_UDP = 17;
    private static final String[] TCP_STATES = {"", "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1",
        "TCP_FIN_WAIT2", "TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING",
        "TCP_NEW_SYN_RECV"};

    private FlowDecoder() {}

    public static NetworkFlow flow(byte[] bytes, DecodeContext context, BootClock clock) {
        KernelRecord record = KernelRecord.of(bytes, KernelStructs.FLOW);
        KernelHeader header = KernelHeader.read(record, context.node());
        boolean v6 = record.u16("family") == AF_INET6;
        boolean udp = record.u8("protocol") == IPPROTO_UDP;
        boolean owned = header.pid() != 0;
        FlowEnd end = switch (record.u8("end")) {
            case 0 -> FlowEnd.ACTIVE;
            case 1 -> FlowEnd.CLOSED;
            case 2 -> FlowEnd.RESET;
            case 3 -> FlowEnd.CONNECT_FAILED;
            default -> FlowEnd.UNKNOWN;
        };
        int state = record.u8("tcp_state");
        long now = clock.toEpochNanos(header.timeBootNs());
        return NetworkFlow.newBuilder()
                .setFlowId(context.node() + ":" + record.i64("cookie"))
                .setTransport(udp ? TransportProtocol.UDP : TransportProtocol.TCP)
                .setDirection(record.u8("inbound") != 0 ? FlowDirection.INBOUND : FlowDirection.OUTBOUND)
                .setFamily(v6 ? IpFamily.IPV6 : IpFamily.IPV4)
                .setLocal(new Endpoint(ip(record.bytes("local_addr", 0, v6 ? 16 : 4)), record.u16("local_port")))
                .setRemote(new Endpoint(ip(record.bytes("remote_addr", 0, v6 ? 16 : 4)), record.u16("remote_port")))
                .setNetns(record.u32("netns"))
                .setBytesSent(record.i64("bytes_sent"))
                .setBytesReceived(record.i64("bytes_received"))
                .setPacketsSent(record.i64("packets_sent"))
                .setPacketsReceived(record.i64("packets_received"))
                .setStartNs(clock.toEpochNanos(record.i64("start_ns")))
                .setLastSeenNs(now)
                .setEndNs(end == FlowEnd.ACTIVE ? null : now)
                .setEnd(end)
                .setTcpState(udp || state >= TCP_STATES.length || state == 0 ? null : TCP_STATES[state])
                .setDnsQuery(DnsQuestion.name(record.bytes("dns", 0, Math.min(record.u16("dns_len"), KernelStructs.DNS_MAX))))
                .setExecId(owned ? header.execId() : null)
                .setPid(owned ? header.pid() : null)
                .setBinary(owned ? context.processes().binaryOf(header.pid(), header.execStartNs()).orElse(header.comm()) : null)
                .setCgroupId(header.cgroupId())
                .setWorkload(context.workload(header.cgroupId()))
                .build();
    }

    /** Dotted quad for v4, RFC 5952 (compressed, lower case) for v6. */
    public static String ip(byte[] address) {
        try {
            String text = InetAddress.getByAddress(address).getHostAddress();
            return address.length == 16 ? Rfc5952.compress(text) : text;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + address.length, e);
        }
    }
}
