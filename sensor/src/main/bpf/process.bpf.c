/* Process lifecycle: fork, exec, exit, and the process table that gives every event its lineage. */
#include "common.bpf.h"

SEC("tp_btf/sched_process_fork")
int BPF_PROG(rf_fork, struct task_struct *parent, struct task_struct *child)
{
	if (child->pid != child->tgid)
		return 0; /* a thread, not a process */
	__u32 child_pid = child->tgid;
	struct rf_proc *parent_proc = rf_proc_of(parent);
	struct rf_proc entry = {
		.exec_start_ns = child->start_boottime,
		.parent_pid = parent->tgid,
	};
	if (parent_proc)
		entry.parent_start_ns = parent_proc->exec_start_ns;
	bpf_map_update_elem(&rf_procs, &child_pid, &entry, BPF_ANY);

	__u64 now = bpf_ktime_get_boot_ns();
	if (!rf_wanted(RF_EV_FORK, child, now))
		return 0;
	struct rf_fork *event = rf_reserve(sizeof(*event), RF_EV_FORK);
	if (!event)
		return 0;
	rf_fill_header(&event->h, RF_EV_FORK, child, now);
	rf_submit(&event->h);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(rf_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = task->tgid;
	__u64 now = bpf_ktime_get_boot_ns();
	struct rf_proc *proc = rf_proc_of(task);
	if (proc) {
		/* in place: an update of an LRU map allocates a new entry even for a key it holds */
		if (proc->flags & RF_PROC_EXECED) { /* re-exec: the previous image started this one */
			proc->parent_pid = tgid;
			proc->parent_start_ns = proc->exec_start_ns;
		} /* else the first exec after fork: the parent is the forking image, as recorded at fork */
		proc->exec_start_ns = now;
		proc->flags = RF_PROC_EXECED;
	} else {
		struct rf_proc entry = { .exec_start_ns = now, .flags = RF_PROC_EXECED };
		bpf_map_update_elem(&rf_procs, &tgid, &entry, BPF_ANY);
	}

	if (!rf_wanted(RF_EV_EXEC, task, now))
		return 0;
	struct rf_exec *event = rf_reserve(sizeof(*event), RF_EV_EXEC);
	if (!event)
		return 0;
	rf_fill_header(&event->h, RF_EV_EXEC, task, now);
	event->flags = 0;

	const struct cred *cred = task->cred;
	event->uid = cred->uid.val;
	event->euid = cred->euid.val;
	event->gid = cred->gid.val;
	event->egid = cred->egid.val;
	event->cap_effective = cred->cap_effective.val;
	event->cap_permitted = cred->cap_permitted.val;
	event->cap_inheritable = cred->cap_inheritable.val;

	struct file *exe = bprm->file;
	event->exe_inode = exe->f_inode->i_ino;
	event->exe_dev = exe->f_inode->i_sb->s_dev;
	bool truncated = false;
	event->binary_off = rf_read_path(exe->f_path.dentry, exe->f_path.mnt, event->binary, &truncated);
	if (truncated)
		event->flags |= RF_EXEC_BINARY_TRUNCATED;
	truncated = false;
	struct fs_struct *fs = task->fs;
	event->cwd_off = rf_read_path(fs->pwd.dentry, fs->pwd.mnt, event->cwd, &truncated);
	if (truncated)
		event->flags |= RF_EXEC_CWD_TRUNCATED;

	struct mm_struct *mm = task->mm;
	unsigned long arg_start = mm->arg_start;
	unsigned long arg_end = mm->arg_end;
	__u64 len = arg_end - arg_start;
	if (len > RF_ARGS_MAX - 1) {
		len = RF_ARGS_MAX - 1;
		event->flags |= RF_EXEC_ARGS_TRUNCATED;
	}
	len &= RF_ARGS_MAX - 1;
	if (bpf_probe_read_user(event->args, len, (void *)arg_start) != 0)
		len = 0;
	event->args_len = len;
	rf_submit(&event->h);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(rf_exit, struct task_struct *task, bool group_dead)
{
	if (!group_dead)
		return 0; /* other threads still run the process */
	__u32 tgid = task->tgid;
	__u64 now = bpf_ktime_get_boot_ns();
	if (rf_wanted(RF_EV_EXIT, task, now)) {
		struct rf_exit *event = rf_reserve(sizeof(*event), RF_EV_EXIT);
		if (event) {
			rf_fill_header(&event->h, RF_EV_EXIT, task, now);
			__u32 status = task->exit_code;
			if (task->signal->flags & SIGNAL_GROUP_EXIT)
				status = task->signal->group_exit_code;
			event->status = status;
			rf_submit(&event->h);
		}
	}
	bpf_map_delete_elem(&rf_procs, &tgid);
	return 0;
}
