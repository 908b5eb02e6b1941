package dev.ringfence.sensor.enforce.net;

import dev.ringfence.sensor.bpf.BpfMap;
import dev.ringfence.sensor.bpf.KernelStructs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongToIntFunction;

/**
 * Blocks and isolation held in the kernel's maps. A block refuses connect/sendmsg of one workload
 * (cgroup, exact) to a destination with EPERM; one rule per workload and network (a second block of
 * the same network replaces the first's port and protocol). Isolation refuses every destination
 * outside the isolation allowlist and drops TCP SYNs to the workload. Both also end the workload's
 * open TCP connections they now refuse: a block that only stopped new connections would let an
 * exfiltration already under way run to its end.
 */
public final class ConnectionPolicy {
    private static final int CGROUP_BITS = 64;

    private final BpfMap blocks;
    private final BpfMap isolated;
    private final BpfMap isolationAllow;
    /**
     * Destroys the open connections the maps now refuse in the given workload's (cgroup id) network namespaces and returns
     * how many; the rest of the host is swept afterwards, its cuts reported as hits.
     */
    private final LongToIntFunction cutRefusedConnections;
    /** Keys this process wrote (hex): after a restart, pinned entries nobody re-applied are pruned. */
    private final Set<String> owned = ConcurrentHashMap.newKeySet();

    public ConnectionPolicy(BpfMap blocks, BpfMap isolated, BpfMap isolationAllow, LongToIntFunction cutRefusedConnections) {
        this.blocks = blocks;
        this.isolated = isolated;
        this.isolationAllow = isolationAllow;
        this.cutRefusedConnections = cutRefusedConnections;
    }

    /** Returns how many open connections the block ended in the workload's namespaces. */
    public int block(long cgroupId, Destination destination) {
        byte[] key = key(cgroupId, destination.network());
        blocks.update(key, rule(destination), BpfMap.ANY);
        owned.add("b" + HexFormat.of().formatHex(key));
        return cutRefusedConnections.applyAsInt(cgroupId);
    }

    public boolean unblock(long cgroupId, Cidr network) {
        byte[] key = key(cgroupId, network);
        owned.remove("b" + HexFormat.of().formatHex(key));
        return blocks.delete(key);
    }

    /** Whether the kernel's block map holds a rule for this workload and network (a lookup in the map, not in this object). */
    public boolean blocked(long cgroupId, Cidr network) {
        return blocks.lookup(key(cgroupId, network)).isPresent();
    }

    /** Returns how many open connections (outbound and accepted) the isolation ended in the workload's namespaces. */
    public int isolate(long cgroupId) {
        isolated.update(BpfMap.longKey(cgroupId), new byte[] {1}, BpfMap.ANY);
        owned.add("i" + cgroupId);
        return cutRefusedConnections.applyAsInt(cgroupId);
    }

    public boolean release(long cgroupId) {
        owned.remove("i" + cgroupId);
        return isolated.delete(BpfMap.longKey(cgroupId));
    }

    /** What every isolated workload may still reach (DNS, the control plane). */
    public void allowWhileIsolated(Destination destination) {
        byte[] key = key(0, destination.network());
        isolationAllow.update(key, rule(destination), BpfMap.ANY);
        owned.add("a" + HexFormat.of().formatHex(key));
    }

    /** Removes the blocks, isolations and isolation allowlist entries found in the (pinned) maps that this process did not set. */
    public int pruneUnowned() {
        int pruned = 0;
        for (byte[] key : blocks.keys()) {
            if (!owned.contains("b" + HexFormat.of().formatHex(key)) && blocks.delete(key)) {
                pruned++;
            }
        }
        for (byte[] key : isolationAllow.keys()) {
            if (!owned.contains("a" + HexFormat.of().formatHex(key)) && isolationAllow.delete(key)) {
                pruned++;
            }
        }
        for (byte[] key : isolated.keys()) {
            long cgroupId = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (!owned.contains("i" + cgroupId) && isolated.delete(key)) {
                pruned++;
            }
        }
        return pruned;
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
