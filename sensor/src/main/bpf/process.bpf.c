/* Process lifecycle: fork, exec, exit, and the process table that gives every event its lineage. */
#include "common.bpf.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(rf_fork, struct task_struct *parent, struct task_struct *child)
{
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0; /* a thread, not a process */
	__u32 child_pid = BPF_CORE_READ(child, tgid);
	struct rf_proc *parent_proc = rf_proc_of(parent);
	struct rf_proc entry = {
		.exec_start_ns = BPF_CORE_READ(child, start_boottime),
		.parent_pid = BPF_CORE_READ(parent, tgid),
	};
	if (parent_proc)
		entry.parent_start_ns = parent_proc->exec_start_ns;
	bpf_map_update_elem(&rf_procs, &child_pid, &entry, BPF_ANY);

	if (!rf_wanted(RF_EV_FORK, child))
		return 0;
	struct rf_fork *event = rf_reserve(sizeof(*event), RF_EV_FORK);
	if (!event)
		return 0;
	rf_fill_header(&event->h, RF_EV_FORK, child);
	rf_submit(event);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(rf_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct rf_proc *previous = rf_proc_of(task);
	struct rf_proc entry = { .exec_start_ns = bpf_ktime_get_boot_ns(), .flags = RF_PROC_EXECED };
	if (previous) {
		if (previous->flags & RF_PROC_EXECED) { /* re-exec: the previous image started this one */
			entry.parent_pid = tgid;
			entry.parent_start_ns = previous->exec_start_ns;
		} else { /* first exec after fork: the parent's image */
			entry.parent_pid = previous->parent_pid;
			entry.parent_start_ns = previous->parent_start_ns;
		}
	}
	bpf_map_update_elem(&rf_procs, &tgid, &entry, BPF_ANY);

	if (!rf_wanted(RF_EV_EXEC, task))
		return 0;
	struct rf_exec *event = rf_reserve(sizeof(*event), RF_EV_EXEC);
	if (!event)
		return 0;
	rf_fill_header(&event->h, RF_EV_EXEC, task);
	event->flags = 0;

	const struct cred *cred = BPF_CORE_READ(task, cred);
	event->uid = BPF_CORE_READ(cred, uid.val);
	event->euid = BPF_CORE_READ(cred, euid.val);
	event->gid = BPF_CORE_READ(cred, gid.val);
	event->egid = BPF_CORE_READ(cred, egid.val);
	event->cap_effective = BPF_CORE_READ(cred, cap_effective.val);
	event->cap_permitted = BPF_CORE_READ(cred, cap_permitted.val);
	event->cap_inheritable = BPF_CORE_READ(cred, cap_inheritable.val);

	struct file *exe = BPF_CORE_READ(bprm, file);
	event->exe_inode = BPF_CORE_READ(exe, f_inode, i_ino);
	event->exe_dev = BPF_CORE_READ(exe, f_inode, i_sb, s_dev);
	bool truncated = false;
	event->binary_off = rf_read_path(BPF_CORE_READ(exe, f_path.dentry), BPF_CORE_READ(exe, f_path.mnt),
					 event->binary, &truncated);
	if (truncated)
		event->flags |= RF_EXEC_BINARY_TRUNCATED;
	truncated = false;
	event->cwd_off = rf_read_path(BPF_CORE_READ(task, fs, pwd.dentry), BPF_CORE_READ(task, fs, pwd.mnt),
				      event->cwd, &truncated);
	if (truncated)
		event->flags |= RF_EXEC_CWD_TRUNCATED;

	unsigned long arg_start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long arg_end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = arg_end - arg_start;
	if (len > RF_ARGS_MAX - 1) {
		len = RF_ARGS_MAX - 1;
		event->flags |= RF_EXEC_ARGS_TRUNCATED;
	}
	len &= RF_ARGS_MAX - 1;
	if (bpf_probe_read_user(event->args, len, (void *)arg_start) != 0)
		len = 0;
	event->args_len = len;
	rf_submit(event);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(rf_exit, struct task_struct *task, bool group_dead)
{
	if (!group_dead)
		return 0; /* other threads still run the process */
	__u32 tgid = BPF_CORE_READ(task, tgid);
	if (rf_wanted(RF_EV_EXIT, task)) {
		struct rf_exit *event = rf_reserve(sizeof(*event), RF_EV_EXIT);
		if (event) {
			rf_fill_header(&event->h, RF_EV_EXIT, task);
			__u32 status = BPF_CORE_READ(task, exit_code);
			if (BPF_CORE_READ(task, signal, flags) & SIGNAL_GROUP_EXIT)
				status = BPF_CORE_READ(task, signal, group_exit_code);
			event->status = status;
			rf_submit(event);
		}
	}
	bpf_map_delete_elem(&rf_procs, &tgid);
	return 0;
}
