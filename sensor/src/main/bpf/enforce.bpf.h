/* Maps both enforcement objects share (by name): the rails' configuration and the hit ring buffer. */
#ifndef RINGFENCE_ENFORCE_BPF_H
#define RINGFENCE_ENFORCE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ringfence.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rf_enforce_config);
} rf_enforce_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} rf_enforce_hits SEC(".maps");

/* A lost hit report only loses the event, never the enforcement: the verdict is already taken. */
static __always_inline struct rf_enforce_hit *rf_hit_reserve(__u32 kind, __u64 cgroup_id)
{
	struct rf_enforce_hit *hit = bpf_ringbuf_reserve(&rf_enforce_hits, sizeof(*hit), 0);
	if (!hit)
		return NULL;
	__builtin_memset(hit, 0, sizeof(*hit));
	hit->kind = kind;
	hit->pid = bpf_get_current_pid_tgid() >> 32;
	hit->cgroup_id = cgroup_id;
	return hit;
}

#endif
