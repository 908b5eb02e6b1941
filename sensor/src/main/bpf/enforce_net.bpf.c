/* Connection blocks and isolation, at the cgroup v2 root: connect and sendmsg of a workload to a
   blocked destination fail with EPERM; an isolated workload reaches only the isolation allowlist,
   and TCP SYNs to its sockets are dropped. */
#include "enforce.bpf.h"
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define AF_INET6 10
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IPPROTO_TCP 6
#define RF_ALLOW 1
#define RF_REFUSE 0

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rf_net_key);
	__type(value, struct rf_net_rule);
} rf_net_blocks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rf_net_key);
	__type(value, struct rf_net_rule);
} rf_isolation_allow SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} rf_isolated SEC(".maps");

static __always_inline bool rf_rule_matches(struct rf_net_rule *rule, __u16 port, __u8 protocol)
{
	return rule && (rule->port == 0 || rule->port == port) && (rule->protocol == 0 || rule->protocol == protocol);
}

/* Whether the workload may not talk to addr (::ffff:v4 or v6; in key->addr), port host order. */
static __always_inline bool rf_refused(__u64 cgroup_id, struct rf_net_key *key, __u16 port, __u8 protocol)
{
	key->prefixlen = 64 + 128;
	__builtin_memcpy(key->cgroup, &cgroup_id, sizeof(cgroup_id));
	if (rf_rule_matches(bpf_map_lookup_elem(&rf_net_blocks, key), port, protocol))
		return true;
	if (!bpf_map_lookup_elem(&rf_isolated, &cgroup_id))
		return false;
	__builtin_memset(key->cgroup, 0, sizeof(key->cgroup));
	return !rf_rule_matches(bpf_map_lookup_elem(&rf_isolation_allow, key), port, protocol);
}

/* Returns RF_ALLOW or RF_REFUSE, and reports a refusal. */
static __always_inline int rf_outbound(__u64 cgroup_id, struct rf_net_key *key, __u16 port, __u8 protocol)
{
	if (!rf_refused(cgroup_id, key, port, protocol))
		return RF_ALLOW;
	struct rf_enforce_hit *hit = rf_hit_reserve(RF_HIT_CONNECT_REFUSED, cgroup_id);
	if (hit) {
		__builtin_memcpy(hit->addr, key->addr, sizeof(hit->addr));
		hit->port = port;
		hit->protocol = protocol;
		bpf_ringbuf_submit(hit, 0);
	}
	return RF_REFUSE;
}

static __always_inline int rf_outbound4(struct bpf_sock_addr *ctx)
{
	struct rf_net_key key = {};
	key.addr[10] = 0xff;
	key.addr[11] = 0xff;
	__u32 ip = ctx->user_ip4;
	__builtin_memcpy(&key.addr[12], &ip, 4);
	return rf_outbound(bpf_get_current_cgroup_id(), &key, bpf_ntohs(ctx->user_port), ctx->protocol);
}

static __always_inline int rf_outbound6(struct bpf_sock_addr *ctx)
{
	struct rf_net_key key = {};
	/* constant offsets: the verifier refuses ctx accesses through a moved pointer */
	__u32 words[4] = { ctx->user_ip6[0], ctx->user_ip6[1], ctx->user_ip6[2], ctx->user_ip6[3] };
	__builtin_memcpy(key.addr, words, sizeof(words));
	return rf_outbound(bpf_get_current_cgroup_id(), &key, bpf_ntohs(ctx->user_port), ctx->protocol);
}

SEC("cgroup/connect4")
int rf_connect4(struct bpf_sock_addr *ctx) { return rf_outbound4(ctx); }

SEC("cgroup/sendmsg4")
int rf_sendmsg4(struct bpf_sock_addr *ctx) { return rf_outbound4(ctx); }

SEC("cgroup/connect6")
int rf_connect6(struct bpf_sock_addr *ctx) { return rf_outbound6(ctx); }

SEC("cgroup/sendmsg6")
int rf_sendmsg6(struct bpf_sock_addr *ctx) { return rf_outbound6(ctx); }

/* Inbound: a TCP SYN (no ACK) to a socket of an isolated workload is dropped; established
   connections and replies to its own (allowed) outbound connections pass. */
SEC("cgroup_skb/ingress")
int rf_ingress(struct __sk_buff *skb)
{
	__u64 cgroup_id = bpf_skb_cgroup_id(skb);
	if (!bpf_map_lookup_elem(&rf_isolated, &cgroup_id))
		return RF_ALLOW;
	__u8 protocol = 0;
	__u32 tcp_off = 0;
	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		__u8 vihl = 0;
		if (bpf_skb_load_bytes(skb, 0, &vihl, 1) || bpf_skb_load_bytes(skb, 9, &protocol, 1))
			return RF_ALLOW;
		tcp_off = (vihl & 0x0f) * 4;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		if (bpf_skb_load_bytes(skb, 6, &protocol, 1))
			return RF_ALLOW;
		tcp_off = 40; /* extension headers before TCP are not followed */
	}
	if (protocol != IPPROTO_TCP)
		return RF_ALLOW;
	__u8 flags = 0;
	if (bpf_skb_load_bytes(skb, tcp_off + 13, &flags, 1))
		return RF_ALLOW;
	if ((flags & 0x12) != 0x02) /* SYN without ACK */
		return RF_ALLOW;
	struct rf_enforce_hit *hit = rf_hit_reserve(RF_HIT_INBOUND_DROPPED, cgroup_id);
	if (hit) {
		hit->pid = 0; /* softirq: the current task is not the receiver */
		hit->protocol = IPPROTO_TCP;
		bpf_ringbuf_submit(hit, 0);
	}
	return RF_REFUSE;
}

/* Open connections: a block or an isolation also ends what is already connected. User space runs this
   iterator after changing the maps; every TCP socket that the hooks above would now refuse is destroyed
   (the owner's next call fails with ECONNABORTED, the peer gets a RST), and one line per socket is
   written for user space: "<cgroup id> <port> <16 address bytes in hex>". Needs bpf_sock_destroy
   (Linux 6.5). */
#define TCP_ESTABLISHED 1
#define TCP_CLOSE_WAIT 8

extern int bpf_sock_destroy(struct sock_common *sk) __ksym;

SEC("iter/tcp")
int rf_cut_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	if (!skc)
		return 0;
	/* established .. close-wait are full sockets; listeners, time-wait and request socks are not cut */
	__u8 state = skc->skc_state;
	if (state < TCP_ESTABLISHED || state > TCP_CLOSE_WAIT || state == 6 /* TIME_WAIT */ || state == 7 /* CLOSE */)
		return 0;
	struct sock *sk = (struct sock *)skc;
	__u64 cgroup_id = BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
	struct rf_net_key key = {};
	if (skc->skc_family == AF_INET) {
		key.addr[10] = 0xff;
		key.addr[11] = 0xff;
		__u32 ip = skc->skc_daddr;
		__builtin_memcpy(&key.addr[12], &ip, 4);
	} else if (skc->skc_family == AF_INET6) {
		bpf_probe_read_kernel(key.addr, sizeof(key.addr), &skc->skc_v6_daddr);
	} else {
		return 0;
	}
	__u16 port = bpf_ntohs(skc->skc_dport);
	if (!rf_refused(cgroup_id, &key, port, IPPROTO_TCP))
		return 0;
	if (bpf_sock_destroy(skc))
		return 0;
	__u64 words[2];
	__builtin_memcpy(words, key.addr, sizeof(words));
	BPF_SEQ_PRINTF(ctx->meta->seq, "%llu %u %016llx%016llx\n", cgroup_id, port,
		       __builtin_bswap64(words[0]), __builtin_bswap64(words[1]));
	return 0;
}
