/* Opens of sensitive paths: the path is matched in the kernel against an LPM trie of prefixes, so
   opens elsewhere cost a lookup and produce nothing. Absolute paths only (dirfd-relative opens are
   not resolved). */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rf_file_key);
	__type(value, __u32); /* prefix length in bytes */
} rf_file_prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rf_file_key);
} rf_file_scratch SEC(".maps");

static __always_inline void rf_open(const char *filename, int flags)
{
	if (!rf_enabled(RF_EV_FILE))
		return;
	__u32 zero = 0;
	struct rf_file_key *key = bpf_map_lookup_elem(&rf_file_scratch, &zero);
	if (!key)
		return;
	if (bpf_probe_read_user_str(key->path, sizeof(key->path), filename) <= 1 || key->path[0] != '/')
		return;
	key->prefixlen = RF_FILE_PATH * 8;
	__u32 *prefix_len = bpf_map_lookup_elem(&rf_file_prefixes, key);
	if (!prefix_len)
		return;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	if (!rf_wanted(RF_EV_FILE, task))
		return;
	struct rf_file *event = rf_reserve(sizeof(*event), RF_EV_FILE);
	if (!event)
		return;
	rf_fill_header(&event->h, RF_EV_FILE, task);
	event->flags = flags;
	event->prefix_len = *prefix_len;
	__builtin_memcpy(event->path, key->path, RF_FILE_PATH);
	bpf_ringbuf_submit(event, 0);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int rf_openat(struct trace_event_raw_sys_enter *ctx)
{
	rf_open((const char *)ctx->args[1], (int)ctx->args[2]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int rf_open_legacy(struct trace_event_raw_sys_enter *ctx)
{
	rf_open((const char *)ctx->args[0], (int)ctx->args[1]);
	return 0;
}
