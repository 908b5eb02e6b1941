package dev.ringfence.sensor.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.List;

/**
 * The structs of src/main/bpf/ringfence.h, member by member: layout names are the C struct names
 * and member names the C field names, which is what StructLayoutTest compiles against.
 */
public final class KernelStructs {
    public static final int COMM_LEN = 16;
    public static final int PATH_MAX = 256;
    public static final int PATH_BUF = PATH_MAX * 2;
    public static final int ARGS_MAX = 512;
    public static final int FILE_PATH = 128;
    public static final int DNS_MAX = 64;

    /** enum rf_event_type */
    public static final int EV_EXEC = 1;
    public static final int EV_FORK = 2;
    public static final int EV_EXIT = 3;
    public static final int EV_FLOW = 4;
    public static final int EV_FILE = 5;
    public static final int EV_PRIV = 6;
    public static final int EV_MODULE = 7;
    public static final int EV_TYPES = 8;

    public static final int EXEC_ARGS_TRUNCATED = 1;
    public static final int PROC_EXECED = 1;

    public static final StructLayout HEADER = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("pid"),
            JAVA_INT.withName("tid"),
            JAVA_INT.withName("ppid"),
            JAVA_LONG.withName("time_ns"),
            JAVA_LONG.withName("cgroup_id"),
            JAVA_LONG.withName("exec_start_ns"),
            JAVA_LONG.withName("parent_start_ns"),
            JAVA_INT.withName("parent_pid"),
            JAVA_INT.withName("pad0"),
            bytes(COMM_LEN, "comm")).withName("rf_header");

    public static final StructLayout EXEC = MemoryLayout.structLayout(
            HEADER.withName("h"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("euid"),
            JAVA_INT.withName("gid"),
            JAVA_INT.withName("egid"),
            JAVA_LONG.withName("cap_effective"),
            JAVA_LONG.withName("cap_permitted"),
            JAVA_LONG.withName("cap_inheritable"),
            JAVA_LONG.withName("exe_inode"),
            JAVA_LONG.withName("exe_dev"),
            JAVA_INT.withName("binary_off"),
            JAVA_INT.withName("cwd_off"),
            JAVA_INT.withName("args_len"),
            JAVA_INT.withName("flags"),
            bytes(PATH_BUF, "binary"),
            bytes(PATH_BUF, "cwd"),
            bytes(ARGS_MAX, "args")).withName("rf_exec");

    public static final StructLayout FORK = MemoryLayout.structLayout(HEADER.withName("h")).withName("rf_fork");

    public static final StructLayout EXIT = MemoryLayout.structLayout(
            HEADER.withName("h"),
            JAVA_INT.withName("status"),
            JAVA_INT.withName("pad0")).withName("rf_exit");

    public static final StructLayout FLOW = MemoryLayout.structLayout(
            HEADER.withName("h"),
            JAVA_LONG.withName("cookie"),
            JAVA_LONG.withName("netns"),
            JAVA_LONG.withName("start_ns"),
            JAVA_LONG.withName("last_report_ns"),
            JAVA_LONG.withName("bytes_sent"),
            JAVA_LONG.withName("bytes_received"),
            JAVA_LONG.withName("packets_sent"),
            JAVA_LONG.withName("packets_received"),
            bytes(16, "local_addr"),
            bytes(16, "remote_addr"),
            JAVA_SHORT.withName("local_port"),
            JAVA_SHORT.withName("remote_port"),
            JAVA_SHORT.withName("family"),
            JAVA_BYTE.withName("protocol"),
            JAVA_BYTE.withName("inbound"),
            JAVA_BYTE.withName("end"),
            JAVA_BYTE.withName("tcp_state"),
            JAVA_SHORT.withName("dns_len"),
            JAVA_INT.withName("pad0"),
            bytes(DNS_MAX, "dns")).withName("rf_flow");

    public static final StructLayout FILE = MemoryLayout.structLayout(
            HEADER.withName("h"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("prefix_len"),
            bytes(FILE_PATH, "path")).withName("rf_file");

    public static final StructLayout PRIV = MemoryLayout.structLayout(
            HEADER.withName("h"),
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("result"),
            JAVA_INT.withName("uid"),
            JAVA_INT.withName("euid"),
            JAVA_INT.withName("gid"),
            JAVA_INT.withName("egid"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("args"),
            JAVA_LONG.withName("cap_effective"),
            JAVA_LONG.withName("cap_permitted"),
            JAVA_LONG.withName("cap_inheritable")).withName("rf_priv");

    public static final StructLayout MODULE = MemoryLayout.structLayout(
            HEADER.withName("h"),
            JAVA_INT.withName("syscall"),
            JAVA_INT.withName("result"),
            JAVA_INT.withName("path_off"),
            JAVA_INT.withName("pad0"),
            bytes(PATH_BUF, "path")).withName("rf_module");

    public static final StructLayout PROC = MemoryLayout.structLayout(
            JAVA_LONG.withName("exec_start_ns"),
            JAVA_LONG.withName("parent_start_ns"),
            JAVA_INT.withName("parent_pid"),
            JAVA_INT.withName("flags")).withName("rf_proc");

    public static final StructLayout CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("watch_all"),
            JAVA_INT.withName("enabled_types"),
            JAVA_LONG.withName("flow_interval_ns"),
            JAVA_LONG.withName("throttle_rate"),
            JAVA_LONG.withName("throttle_burst"),
            JAVA_LONG.withName("wakeup_gap_ns")).withName("rf_config");

    public static final StructLayout FILE_KEY = MemoryLayout.structLayout(
            JAVA_INT.withName("prefixlen"),
            bytes(FILE_PATH, "path")).withName("rf_file_key");

    public static final StructLayout ENFORCE_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("sensor_tgid"),
            JAVA_INT.withName("pad0")).withName("rf_enforce_config");

    /** enum rf_exec_mode, rf_exec_verdict, rf_hit_kind */
    public static final int EXEC_MODE_DENY_LIST = 1;
    public static final int EXEC_MODE_ALLOW_LIST = 2;
    public static final int EXEC_DENY = 1;
    public static final int EXEC_ALLOW = 2;
    public static final int HIT_EXEC_KILLED = 1;
    public static final int HIT_CONNECT_REFUSED = 2;
    public static final int HIT_INBOUND_DROPPED = 3;
    public static final int HIT_EXEC_HELD = 4;
    /** Reported by user space from the socket iterator output, not through the hit ring buffer. */
    public static final int HIT_CONNECTION_CUT = 5;

    public static final StructLayout EXEC_RULE_KEY = MemoryLayout.structLayout(
            JAVA_LONG.withName("cgroup_id"),
            JAVA_LONG.withName("inode"),
            JAVA_LONG.withName("dev")).withName("rf_exec_rule_key");

    public static final StructLayout NET_KEY = MemoryLayout.structLayout(
            JAVA_INT.withName("prefixlen"),
            bytes(8, "cgroup"),
            bytes(16, "addr")).withName("rf_net_key");

    public static final StructLayout NET_RULE = MemoryLayout.structLayout(
            JAVA_SHORT.withName("port"),
            JAVA_BYTE.withName("protocol"),
            JAVA_BYTE.withName("pad0"),
            JAVA_INT.withName("pad1")).withName("rf_net_rule");

    public static final StructLayout ENFORCE_HIT = MemoryLayout.structLayout(
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("pid"),
            JAVA_LONG.withName("cgroup_id"),
            JAVA_LONG.withName("inode"),
            JAVA_LONG.withName("dev"),
            bytes(16, "addr"),
            JAVA_SHORT.withName("port"),
            JAVA_BYTE.withName("protocol"),
            JAVA_BYTE.withName("pad0"),
            JAVA_INT.withName("pad1")).withName("rf_enforce_hit");

    /** Every struct the header defines, for the layout test. */
    public static final List<StructLayout> ALL = List.of(HEADER, EXEC, FORK, EXIT, FLOW, FILE, PRIV, MODULE, PROC, CONFIG, FILE_KEY,
            ENFORCE_CONFIG, EXEC_RULE_KEY, NET_KEY, NET_RULE, ENFORCE_HIT);

    private KernelStructs() {}

    private static MemoryLayout bytes(int count, String name) {
        return MemoryLayout.sequenceLayout(count, JAVA_BYTE).withName(name);
    }
}
