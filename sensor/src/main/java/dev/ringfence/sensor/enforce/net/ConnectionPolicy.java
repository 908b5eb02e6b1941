package dev.ringfence.sensor.enforce.net;

import dev.ringfence.sensor.bpf.BpfMap;
import dev.ringfence.sensor.bpf.KernelStructs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Blocks and isolation held in the kernel's maps. A block refuses connect/sendmsg of one workload
 * (cgroup, exact) to a destination with EPERM; one rule per workload and network (a second block of
 * the same network replaces the first's port and protocol). Isolation refuses every destination
 * outside the isolation allowlist and drops TCP SYNs to the workload.
 */
public final class ConnectionPolicy {
    private static final int CGROUP_BITS = 64;

    private final BpfMap blocks;
    private final BpfMap isolated;
    private final BpfMap isolationAllow;

    public ConnectionPolicy(BpfMap blocks, BpfMap isolated, BpfMap isolationAllow) {
        this.blocks = blocks;
        this.isolated = isolated;
        this.isolationAllow = isolationAllow;
    }

    public void block(long cgroupId, Destination destination) {
        blocks.update(key(cgroupId, destination.network()), rule(destination), BpfMap.ANY);
    }

    public boolean unblock(long cgroupId, Cidr network) {
        return blocks.delete(key(cgroupId, network));
    }

    public void isolate(long cgroupId) {
        isolated.update(BpfMap.longKey(cgroupId), new byte[] {1}, BpfMap.ANY);
    }

    public boolean release(long cgroupId) {
        return isolated.delete(BpfMap.longKey(cgroupId));
    }

    /** What every isolated workload may still reach (DNS, the control plane). */
    public void allowWhileIsolated(Destination destination) {
        isolationAllow.update(key(0, destination.network()), rule(destination), BpfMap.ANY);
    }

    private static byte[] key(long cgroupId, Cidr network) {
        return ByteBuffer.allocate((int) KernelStructs.NET_KEY.byteSize()).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(CGROUP_BITS + network.prefixBits()).putLong(cgroupId).put(network.address()).array();
    }

    private static byte[] rule(Destination destination) {
        return ByteBuffer.allocate((int) KernelStructs.NET_RULE.byteSize()).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) destination.port()).put((byte) destination.protocol().number).array();
    }
}
