/* Exec policy: in a policed cgroup, a binary denied (or not allowed) by inode + device is killed
   at the exec tracepoint, before its first instruction runs. A file with no verdict yet (e.g. a copy
   of a denied binary: a new inode) is stopped there instead, until user space has judged its content. */
#include "enforce.bpf.h"

#define SIGKILL 9
#define SIGSTOP 19

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u32);
} rf_exec_modes SEC(".maps"); /* presence polices the cgroup; user space applies the mode */ /* presence polices the cgroup; the mode is for user space after a restart */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct rf_exec_rule_key);
	__type(value, __u32);
} rf_exec_rules SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(rf_exec_policy, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	__u32 *mode = bpf_map_lookup_elem(&rf_exec_modes, &cgroup_id);
	if (!mode)
		return 0;
	__u32 tgid = task->tgid;
	__u32 zero = 0;
	struct rf_enforce_config *cfg = bpf_map_lookup_elem(&rf_enforce_config, &zero);
	if (tgid == 1 || (cfg && cfg->sensor_tgid == tgid))
		return 0; /* the rails: never pid 1, never the sensor */
	struct file *exe = bprm->file;
	struct rf_exec_rule_key key = {
		.cgroup_id = cgroup_id,
		.inode = exe->f_inode->i_ino,
		.dev = exe->f_inode->i_sb->s_dev,
	};
	__u32 *verdict = bpf_map_lookup_elem(&rf_exec_rules, &key);
	if (verdict && *verdict == RF_EXEC_ALLOW)
		return 0;
	bool held = !verdict;
	struct rf_enforce_hit *hit = rf_hit_reserve(held ? RF_HIT_EXEC_HELD : RF_HIT_EXEC_KILLED, cgroup_id);
	/* a held process nobody hears about would stay stopped forever: kill it instead */
	bpf_send_signal(held && hit ? SIGSTOP : SIGKILL);
	if (hit) {
		hit->inode = key.inode;
		hit->dev = key.dev;
		bpf_ringbuf_submit(hit, 0);
	}
	return 0;
}
