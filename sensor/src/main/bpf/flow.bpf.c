/* Network flows aggregated in the kernel: one table entry per socket, reported when the socket
   closes and every flow_interval_ns while it carries traffic. Never one record per send. The sockets
   the tp_btf programs get are read directly, as tasks are (common.bpf.h). */
#include "common.bpf.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define DNS_PORT 53
#define DNS_HEADER 12
#define ECONNRESET 104
#define EPIPE 32

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64); /* socket cookie */
	__type(value, struct rf_flow);
} rf_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rf_flow);
} rf_flow_scratch SEC(".maps");

/* What a send syscall to port 53 carried, kept per thread until the socket layer hook of the same
   call (which knows the socket cookie) moves it into the flow. */
struct rf_dns_pending {
	__u64 sk;
	__u16 remote_port;
	__u16 dns_len;
	__u32 remote_v4;
	__u8 dns[RF_DNS_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct rf_dns_pending);
} rf_dns_pending SEC(".maps");

static __always_inline void rf_flow_endpoints(struct rf_flow *flow, struct sock *sk)
{
	__u16 local_port = sk->__sk_common.skc_num;
	__u16 remote_port = sk->__sk_common.skc_dport;
	if (local_port == 0 && (remote_port == 0 || flow->remote_port != 0))
		return; /* unhashed (closing) or not yet bound: keep what was read before */
	/* At SYN_SENT connect(2) has set the destination but not yet hashed the local port: read the
	   addresses now, or a connect that fails (refused, timed out) is reported without any endpoint. */
	if (local_port != 0)
		flow->local_port = local_port;
	flow->remote_port = __builtin_bswap16(remote_port);
	if (flow->family == AF_INET6) {
		__builtin_memcpy(flow->local_addr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(flow->remote_addr, &sk->__sk_common.skc_v6_daddr, 16);
	} else {
		__builtin_memcpy(flow->local_addr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(flow->remote_addr, &sk->__sk_common.skc_daddr, 4);
	}
}

/* Segments on the wire (handshake and pure ACKs included) from the socket's own counters. Bytes
   are the application's (sendmsg/recvmsg results), counted in rf_flow_io: the socket's byte
   counters include the SYN and FIN sequence numbers. */
static __always_inline void rf_flow_tcp_packets(struct rf_flow *flow, struct sock *sk)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	flow->packets_sent = BPF_CORE_READ(tp, segs_out);
	flow->packets_received = BPF_CORE_READ(tp, segs_in);
}

/* The flow of a socket, created on first sight when its cgroup is watched. owner: the task to
   attribute it to, or NULL in softirq context (filled in by the first send or receive). */
static __always_inline struct rf_flow *rf_flow_of(struct sock *sk, __u64 cookie, bool inbound, struct task_struct *owner)
{
	struct rf_flow *flow = bpf_map_lookup_elem(&rf_flows, &cookie);
	if (flow)
		return flow;
	if (!rf_enabled(RF_EV_FLOW))
		return NULL;
	struct cgroup *cg = sk->sk_cgrp_data.cgroup;
	if (!rf_watched_cgroup(cg))
		return NULL;
	__u32 zero = 0;
	struct rf_flow *fresh = bpf_map_lookup_elem(&rf_flow_scratch, &zero);
	if (!fresh)
		return NULL;
	__builtin_memset(fresh, 0, sizeof(*fresh));
	__u64 now = bpf_ktime_get_boot_ns();
	if (owner)
		rf_fill_header(&fresh->h, RF_EV_FLOW, owner, now);
	fresh->h.type = RF_EV_FLOW;
	fresh->h.cgroup_id = rf_cgroup_id(cg);
	fresh->cookie = cookie;
	fresh->netns = sk->__sk_common.skc_net.net->ns.inum;
	fresh->start_ns = now;
	fresh->last_report_ns = fresh->start_ns;
	fresh->family = sk->__sk_common.skc_family;
	fresh->protocol = sk->sk_protocol;
	fresh->inbound = inbound;
	rf_flow_endpoints(fresh, sk);
	bpf_map_update_elem(&rf_flows, &cookie, fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&rf_flows, &cookie);
}

static __always_inline void rf_flow_report(struct rf_flow *flow, struct sock *sk, __u8 end, __u64 now)
{
	if (sk) {
		rf_flow_endpoints(flow, sk);
		if (flow->protocol == IPPROTO_TCP)
			rf_flow_tcp_packets(flow, sk);
	}
	flow->last_report_ns = now;
	if (rf_throttled_now(flow->h.cgroup_id, RF_EV_FLOW, now))
		return;
	struct rf_flow *event = rf_reserve(sizeof(*event), RF_EV_FLOW);
	if (!event)
		return;
	__builtin_memcpy(event, flow, sizeof(*event));
	event->h.time_ns = now;
	event->end = end;
	rf_submit(&event->h);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(rf_tcp_state, const struct sock *csk, const int oldstate, const int newstate)
{
	struct sock *sk = (struct sock *)csk;
	/* about half of a connection's state changes (FIN_WAIT*, CLOSE_WAIT, LAST_ACK, ...) change nothing here */
	if (newstate != TCP_SYN_SENT && newstate != TCP_ESTABLISHED && newstate != TCP_CLOSE)
		return 0;
	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	__u64 cookie = bpf_get_socket_cookie(sk);
	struct rf_flow *flow;
	if (newstate == TCP_SYN_SENT) { /* connect(2): process context */
		rf_flow_of(sk, cookie, false, (struct task_struct *)bpf_get_current_task_btf());
		return 0;
	}
	if (newstate == TCP_ESTABLISHED) { /* an accepted connection is born here, in softirq */
		flow = rf_flow_of(sk, cookie, oldstate == TCP_SYN_RECV, NULL);
		if (flow) {
			rf_flow_endpoints(flow, sk);
			flow->tcp_state = newstate;
		}
		return 0;
	}
	flow = bpf_map_lookup_elem(&rf_flows, &cookie);
	if (!flow)
		return 0;
	flow->tcp_state = newstate;
	__u8 end = RF_FLOW_CLOSED;
	int err = sk->sk_err;
	if (oldstate == TCP_SYN_SENT || oldstate == TCP_SYN_RECV)
		end = RF_FLOW_CONNECT_FAILED;
	else if (err == ECONNRESET || err == EPIPE)
		end = RF_FLOW_RESET;
	rf_flow_report(flow, sk, end, bpf_ktime_get_boot_ns());
	bpf_map_delete_elem(&rf_flows, &cookie);
	return 0;
}

/* A long flow is also reported each time its bytes (both ways) pass another 4 MiB, at most every 100 ms:
   a bulk upload on one connection is seen while it runs, not only at the next interval or its close. */
#define RF_FLOW_VOLUME_STEP_SHIFT 22
#define RF_FLOW_VOLUME_MIN_GAP_NS (100ULL * 1000 * 1000)

static __always_inline bool rf_crossed_volume_step(__u64 before, int added)
{
	return (before >> RF_FLOW_VOLUME_STEP_SHIFT) != ((before + added) >> RF_FLOW_VOLUME_STEP_SHIFT);
}

/* Process context: attribute flows whose owner was unknown, count bytes (and UDP datagrams), send
   interim reports. One map lookup per call; nothing reaches user space here but interim reports. */
static __always_inline void rf_flow_io(struct sock *sk, int ret, int flags, bool send)
{
	if (ret <= 0 || (!send && (flags & 2 /* MSG_PEEK */)))
		return;
	__u8 protocol = sk->sk_protocol;
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
		return;
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
	__u64 cookie = bpf_get_socket_cookie(sk);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct rf_flow *flow = protocol == IPPROTO_UDP ? rf_flow_of(sk, cookie, !send, task)
						       : bpf_map_lookup_elem(&rf_flows, &cookie);
	if (!flow)
		return;
	__u64 now = bpf_ktime_get_boot_ns();
	if (flow->h.pid == 0) {
		__u64 cgroup_id = flow->h.cgroup_id;
		rf_fill_header(&flow->h, RF_EV_FLOW, task, now);
		flow->h.cgroup_id = cgroup_id;
	}
	__u64 before = flow->bytes_sent + flow->bytes_received;
	if (send)
		flow->bytes_sent += ret;
	else
		flow->bytes_received += ret;
	if (protocol == IPPROTO_UDP) {
		if (send)
			flow->packets_sent += 1;
		else
			flow->packets_received += 1;
		__u32 tid = task->pid;
		struct rf_dns_pending *dns = bpf_map_lookup_elem(&rf_dns_pending, &tid);
		if (dns && send) {
			if (dns->sk == (__u64)sk && flow->dns_len == 0) {
				__builtin_memcpy(flow->dns, dns->dns, RF_DNS_MAX);
				flow->dns_len = dns->dns_len;
				if (flow->remote_port == 0) {
					flow->remote_port = dns->remote_port;
					__builtin_memcpy(flow->remote_addr, &dns->remote_v4, 4);
				}
			}
			bpf_map_delete_elem(&rf_dns_pending, &tid);
		}
	}
	struct rf_config *cfg = rf_cfg();
	__u64 since_report = now - flow->last_report_ns;
	if (cfg && cfg->flow_interval_ns && since_report >= cfg->flow_interval_ns)
		rf_flow_report(flow, sk, RF_FLOW_ACTIVE, now);
	else if (rf_crossed_volume_step(before, ret) && since_report >= RF_FLOW_VOLUME_MIN_GAP_NS)
		rf_flow_report(flow, sk, RF_FLOW_ACTIVE, now);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(rf_send, struct sock *sk, int ret, int flags)
{
	rf_flow_io(sk, ret, flags, true);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(rf_recv, struct sock *sk, int ret, int flags)
{
	rf_flow_io(sk, ret, flags, false);
	return 0;
}

/* UDP sockets have no state machine: their flow ends when the socket is released. (A TCP socket
   is released at close(2), before its state machine has finished: TCP flows end at TCP_CLOSE.) */
SEC("cgroup/sock_release")
int rf_sock_release(struct bpf_sock *ctx)
{
	if (ctx->protocol != IPPROTO_UDP)
		return 1;
	__u64 cookie = bpf_get_socket_cookie(ctx);
	struct rf_flow *flow = bpf_map_lookup_elem(&rf_flows, &cookie);
	if (flow) {
		rf_flow_report(flow, NULL, RF_FLOW_CLOSED, bpf_ktime_get_boot_ns());
		bpf_map_delete_elem(&rf_flows, &cookie);
	}
	return 1;
}

/* No DNS query over UDP is longer than EDNS's recommended payload size (queries carry one name of at most
   255 bytes; their options are cookies and client subnets). */
#define DNS_QUERY_MAX 1232

/* Whether a send could be a DNS query, from its length and header alone: a query (QR clear) with one question and
   no answer. Every send on the host passes here, and finding its socket through the fd table costs ~5x more. */
static __always_inline bool rf_may_be_dns_query(const void *buf, __u64 len)
{
	__u8 header[DNS_HEADER];
	if (len <= DNS_HEADER || len > DNS_QUERY_MAX)
		return false;
	if (bpf_probe_read_user(header, sizeof(header), buf) != 0)
		return false;
	return (header[2] & 0x80) == 0 && header[4] == 0 && header[5] == 1 && header[6] == 0 && header[7] == 0;
}

/* A DNS question on its way out: keep its first bytes for the flow (port 53, connected or sendto). */
static __always_inline void rf_dns_capture(int fd, const void *buf, __u64 len, const void *addr)
{
	if (!rf_enabled(RF_EV_FLOW) || !rf_may_be_dns_query(buf, len))
		return;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct file *file = rf_file_of_fd(task, fd);
	if (!file)
		return;
	struct socket *sock = BPF_CORE_READ(file, private_data);
	if (!sock || BPF_CORE_READ(sock, file) != file)
		return; /* not a socket */
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP)
		return;
	struct rf_dns_pending pending = { .sk = (__u64)sk };
	__u16 port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (addr) {
		struct sockaddr_in sin = {};
		bpf_probe_read_user(&sin, sizeof(sin), addr);
		if (sin.sin_family == AF_INET) {
			port = __builtin_bswap16(sin.sin_port);
			pending.remote_v4 = sin.sin_addr.s_addr;
		}
	}
	if (port != DNS_PORT)
		return;
	pending.remote_port = port;
	__u32 question = len - DNS_HEADER > RF_DNS_MAX ? RF_DNS_MAX : len - DNS_HEADER;
	if (bpf_probe_read_user(pending.dns, question, buf + DNS_HEADER) != 0)
		return;
	pending.dns_len = question;
	__u32 tid = task->pid;
	bpf_map_update_elem(&rf_dns_pending, &tid, &pending, BPF_ANY);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int rf_sendto(struct trace_event_raw_sys_enter *ctx)
{
	rf_dns_capture((int)ctx->args[0], (const void *)ctx->args[1], ctx->args[2], (const void *)ctx->args[4]);
	return 0;
}

static __always_inline void rf_dns_capture_msg(int fd, const struct user_msghdr *umsg)
{
	struct user_msghdr msg = {};
	struct iovec iov = {};
	if (bpf_probe_read_user(&msg, sizeof(msg), umsg) != 0 || msg.msg_iovlen < 1)
		return;
	if (bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov) != 0)
		return;
	rf_dns_capture(fd, iov.iov_base, iov.iov_len, msg.msg_name);
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int rf_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	rf_dns_capture_msg((int)ctx->args[0], (const struct user_msghdr *)ctx->args[1]);
	return 0;
}

/* glibc's resolver sends its A and AAAA questions with one sendmmsg: the first names the host. */
SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int rf_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	rf_dns_capture_msg((int)ctx->args[0], (const struct user_msghdr *)ctx->args[1]);
	return 0;
}
