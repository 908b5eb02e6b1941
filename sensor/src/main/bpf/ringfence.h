/* Records shared by the BPF programs and the sensor's Java side.
 *
 * dev.ringfence.sensor.bpf.KernelStructs mirrors every struct here, field by field; StructLayoutTest
 * compiles this header with a C compiler and compares sizes and offsets. Pad explicitly to 8 bytes
 * so both sides agree without relying on compiler rules. Add event types at the end of rf_event_type
 * and new structs at the end of this file: the Java side decodes by type. */
#ifndef RINGFENCE_H
#define RINGFENCE_H

#define RF_COMM_LEN 16
/* Paths are written backwards from RF_PATH_MAX into a buffer twice that size, so the verifier can
   bound every write; the path is buffer[offset .. RF_PATH_MAX). */
#define RF_PATH_MAX 256
#define RF_PATH_BUF (RF_PATH_MAX * 2)
#define RF_ARGS_MAX 512
#define RF_FILE_PATH 128
#define RF_DNS_MAX 64

enum rf_event_type {
	RF_EV_EXEC = 1,
	RF_EV_FORK = 2,
	RF_EV_EXIT = 3,
	RF_EV_FLOW = 4,
	RF_EV_FILE = 5,
	RF_EV_PRIV = 6,
	RF_EV_MODULE = 7,
	RF_EV_TYPES = 8, /* size of per-type arrays; keep last */
};

/* Every record starts with this. The subject's exec id is <node>:<pid>:<exec_start_ns>, its
   parent's <node>:<parent_pid>:<parent_start_ns> (parent_pid == 0: unknown). */
struct rf_header {
	__u32 type;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u64 time_ns; /* boot clock */
	__u64 cgroup_id;
	__u64 exec_start_ns;
	__u64 parent_start_ns;
	__u32 parent_pid;
	__u32 pad0;
	char comm[RF_COMM_LEN];
};

#define RF_EXEC_ARGS_TRUNCATED 1
#define RF_EXEC_BINARY_TRUNCATED 2
#define RF_EXEC_CWD_TRUNCATED 4

struct rf_exec {
	struct rf_header h;
	__u32 uid;
	__u32 euid;
	__u32 gid;
	__u32 egid;
	__u64 cap_effective;
	__u64 cap_permitted;
	__u64 cap_inheritable;
	__u64 exe_inode;
	__u64 exe_dev;
	__u32 binary_off;
	__u32 cwd_off;
	__u32 args_len; /* NUL-separated argv bytes in args */
	__u32 flags;
	char binary[RF_PATH_BUF];
	char cwd[RF_PATH_BUF];
	char args[RF_ARGS_MAX];
};

/* The header alone says it all: the child's pid, fork time and parent. */
struct rf_fork {
	struct rf_header h;
};

struct rf_exit {
	struct rf_header h;
	__u32 status; /* wait(2) status: exit code << 8 | core 0x80 | signal */
	__u32 pad0;
};

enum rf_flow_end { RF_FLOW_ACTIVE = 0, RF_FLOW_CLOSED = 1, RF_FLOW_RESET = 2, RF_FLOW_CONNECT_FAILED = 3 };

/* Also the value of the flow table (LRU hash keyed by socket cookie): a report is a copy. */
struct rf_flow {
	struct rf_header h; /* the owning process once known; cgroup of the socket */
	__u64 cookie;
	__u64 netns;
	__u64 start_ns;
	__u64 last_report_ns;
	__u64 bytes_sent;
	__u64 bytes_received;
	__u64 packets_sent;
	__u64 packets_received;
	__u8 local_addr[16];
	__u8 remote_addr[16];
	__u16 local_port;
	__u16 remote_port;
	__u16 family; /* AF_INET, AF_INET6 */
	__u8 protocol; /* IPPROTO_TCP, IPPROTO_UDP */
	__u8 inbound;
	__u8 end; /* rf_flow_end */
	__u8 tcp_state;
	__u16 dns_len;
	__u32 pad0;
	__u8 dns[RF_DNS_MAX]; /* DNS message after its 12-byte header: the first question */
};

struct rf_file {
	struct rf_header h;
	__u32 flags; /* open(2) flags */
	__u32 prefix_len; /* bytes of path that matched a configured prefix */
	char path[RF_FILE_PATH];
};

enum rf_priv_kind {
	RF_PRIV_SETUID, RF_PRIV_SETGID, RF_PRIV_SETREUID, RF_PRIV_SETREGID, RF_PRIV_SETRESUID,
	RF_PRIV_SETRESGID, RF_PRIV_SETFSUID, RF_PRIV_SETFSGID, RF_PRIV_CAPSET,
};

struct rf_priv {
	struct rf_header h;
	__u32 kind;
	__s32 result;
	__u32 uid; /* credentials before the call */
	__u32 euid;
	__u32 gid;
	__u32 egid;
	__u64 args[3];
	__u64 cap_effective; /* after the call */
	__u64 cap_permitted;
	__u64 cap_inheritable;
};

enum rf_module_syscall { RF_MODULE_INIT = 0, RF_MODULE_FINIT = 1 };

struct rf_module {
	struct rf_header h;
	__u32 syscall;
	__s32 result;
	__u32 path_off; /* finit_module: the file, else path_off == RF_PATH_MAX */
	__u32 pad0;
	char path[RF_PATH_BUF];
};

/* Process table entry, keyed by tgid. User space may insert entries for processes it finds at start. */
#define RF_PROC_EXECED 1
struct rf_proc {
	__u64 exec_start_ns;
	__u64 parent_start_ns;
	__u32 parent_pid;
	__u32 flags;
};

/* Single entry of rf_config_map, written by user space before and while running. */
struct rf_config {
	__u32 watch_all; /* 0: only cgroups in rf_watched (or below them) */
	__u32 enabled_types; /* bit (1 << rf_event_type) */
	__u64 flow_interval_ns; /* interim report period of a live flow */
	__u64 throttle_rate; /* events per second per cgroup; 0 disables throttling */
	__u64 throttle_burst;
	__u64 wakeup_gap_ns; /* a record after this long without one on its CPU wakes the reader; also its drain period */
};

/* Key of the LPM trie of watched file prefixes; the value is the prefix length in bytes. */
struct rf_file_key {
	__u32 prefixlen; /* bits */
	char path[RF_FILE_PATH];
};

/* Enforcement (enforce_*.bpf.c). Maps keyed by these are pinned in bpffs so they outlive the sensor. */

/* Single entry of rf_enforce_config: processes the exec policy never kills (besides pid 1). */
struct rf_enforce_config {
	__u32 sensor_tgid;
	__u32 pad0;
};

/* rf_exec_modes value per cgroup id. */
enum rf_exec_mode { RF_EXEC_MODE_DENY_LIST = 1, RF_EXEC_MODE_ALLOW_LIST = 2 };
/* rf_exec_rules value. */
enum rf_exec_verdict { RF_EXEC_DENY = 1, RF_EXEC_ALLOW = 2 };

/* An executable in one workload: its inode and the kernel's device number of its file system
   (the super block's s_dev, major << 20 | minor), so renaming or linking it changes nothing. */
struct rf_exec_rule_key {
	__u64 cgroup_id;
	__u64 inode;
	__u64 dev;
};

/* Key of the LPM tries of blocked and allowed destinations: the cgroup id (all 64 bits always part
   of the prefix; 0 in the isolation allowlist, which applies to every isolated workload) then the
   IPv6 address (IPv4 as ::ffff:a.b.c.d). prefixlen counts bits of cgroup + address. */
struct rf_net_key {
	__u32 prefixlen;
	__u8 cgroup[8];
	__u8 addr[16];
};

/* Value of those tries: port 0 and protocol 0 match any. */
struct rf_net_rule {
	__u16 port; /* host order */
	__u8 protocol; /* IPPROTO_TCP, IPPROTO_UDP */
	__u8 pad0;
	__u32 pad1;
};

/* RF_HIT_EXEC_HELD: an exec of a file with no verdict yet in a policed workload was stopped (SIGSTOP)
   before its first instruction; user space fingerprints the file, stores the verdict, then kills
   or continues the process. */
enum rf_hit_kind { RF_HIT_EXEC_KILLED = 1, RF_HIT_CONNECT_REFUSED = 2, RF_HIT_INBOUND_DROPPED = 3, RF_HIT_EXEC_HELD = 4,
		   RF_HIT_CONNECTION_CUT = 5 /* the socket iterator output, reported by user space */ };

/* Ring buffer record of rf_enforce_hits: one enforcement action the kernel took. */
struct rf_enforce_hit {
	__u32 kind;
	__u32 pid;
	__u64 cgroup_id;
	__u64 inode;
	__u64 dev;
	__u8 addr[16];
	__u16 port;
	__u8 protocol;
	__u8 pad0;
	__u32 pad1;
};

#endif
