/* Privilege changes (set*id, capset) and kernel module loads, reported with the syscall's result:
   the entry hook keeps the arguments and the credentials before the call, the exit hook reports. */
#include "common.bpf.h"

#define RF_MODULE_KIND 100 /* rf_pending.kind for init_module / finit_module */

struct rf_pending {
	__u32 kind;
	__u32 uid;
	__u32 euid;
	__u32 gid;
	__u32 egid;
	__u32 pad0;
	__u64 args[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* tid */
	__type(value, struct rf_pending);
} rf_priv_pending SEC(".maps");

/* Reads only the arguments the syscall has: a tracepoint program may not read past its record. */
static __always_inline void rf_priv_enter(__u32 kind, __u64 arg0, __u64 arg1, __u64 arg2)
{
	__u32 type = kind >= RF_MODULE_KIND ? RF_EV_MODULE : RF_EV_PRIV;
	if (!rf_enabled(type))
		return;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	const struct cred *cred = task->cred;
	struct rf_pending pending = {
		.kind = kind,
		.uid = cred->uid.val,
		.euid = cred->euid.val,
		.gid = cred->gid.val,
		.egid = cred->egid.val,
		.args = { arg0, arg1, arg2 },
	};
	if (kind == RF_PRIV_CAPSET) { /* the first data word set: effective, permitted, inheritable */
		__u32 data[3] = {};
		bpf_probe_read_user(data, sizeof(data), (void *)arg1);
		pending.args[0] = data[0];
		pending.args[1] = data[1];
		pending.args[2] = data[2];
	}
	__u32 tid = task->pid;
	bpf_map_update_elem(&rf_priv_pending, &tid, &pending, BPF_ANY);
}

static __always_inline void rf_priv_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	__u32 tid = task->pid;
	struct rf_pending *pending = bpf_map_lookup_elem(&rf_priv_pending, &tid);
	if (!pending)
		return;
	struct rf_pending call = *pending;
	bpf_map_delete_elem(&rf_priv_pending, &tid);
	__u64 now = bpf_ktime_get_boot_ns();

	if (call.kind >= RF_MODULE_KIND) {
		if (!rf_wanted(RF_EV_MODULE, task, now))
			return;
		struct rf_module *event = rf_reserve(sizeof(*event), RF_EV_MODULE);
		if (!event)
			return;
		rf_fill_header(&event->h, RF_EV_MODULE, task, now);
		event->syscall = call.kind - RF_MODULE_KIND;
		event->result = ctx->ret;
		event->path_off = RF_PATH_MAX;
		if (event->syscall == RF_MODULE_FINIT) {
			struct file *file = rf_file_of_fd(task, (int)call.args[0]);
			bool truncated = false;
			if (file)
				event->path_off = rf_read_path(BPF_CORE_READ(file, f_path.dentry),
							       BPF_CORE_READ(file, f_path.mnt), event->path, &truncated);
		}
		rf_submit(&event->h);
		return;
	}
	if (!rf_wanted(RF_EV_PRIV, task, now))
		return;
	struct rf_priv *event = rf_reserve(sizeof(*event), RF_EV_PRIV);
	if (!event)
		return;
	rf_fill_header(&event->h, RF_EV_PRIV, task, now);
	event->kind = call.kind;
	event->result = ctx->ret;
	event->uid = call.uid;
	event->euid = call.euid;
	event->gid = call.gid;
	event->egid = call.egid;
	event->args[0] = call.args[0];
	event->args[1] = call.args[1];
	event->args[2] = call.args[2];
	const struct cred *cred = task->cred;
	event->cap_effective = cred->cap_effective.val;
	event->cap_permitted = cred->cap_permitted.val;
	event->cap_inheritable = cred->cap_inheritable.val;
	rf_submit(&event->h);
}

#define RF_ARG(ctx, nargs, i) ((nargs) > (i) ? (ctx)->args[i] : 0)

#define RF_SYSCALL_PAIR(name, kind, nargs)                                       \
	SEC("tracepoint/syscalls/sys_enter_" #name)                             \
	int rf_enter_##name(struct trace_event_raw_sys_enter *ctx)              \
	{                                                                        \
		rf_priv_enter(kind, RF_ARG(ctx, nargs, 0), RF_ARG(ctx, nargs, 1), \
			      RF_ARG(ctx, nargs, 2));                            \
		return 0;                                                        \
	}                                                                        \
	SEC("tracepoint/syscalls/sys_exit_" #name)                              \
	int rf_exit_##name(struct trace_event_raw_sys_exit *ctx)                \
	{                                                                        \
		rf_priv_exit(ctx);                                               \
		return 0;                                                        \
	}

RF_SYSCALL_PAIR(setuid, RF_PRIV_SETUID, 1)
RF_SYSCALL_PAIR(setgid, RF_PRIV_SETGID, 1)
RF_SYSCALL_PAIR(setreuid, RF_PRIV_SETREUID, 2)
RF_SYSCALL_PAIR(setregid, RF_PRIV_SETREGID, 2)
RF_SYSCALL_PAIR(setresuid, RF_PRIV_SETRESUID, 3)
RF_SYSCALL_PAIR(setresgid, RF_PRIV_SETRESGID, 3)
RF_SYSCALL_PAIR(setfsuid, RF_PRIV_SETFSUID, 1)
RF_SYSCALL_PAIR(setfsgid, RF_PRIV_SETFSGID, 1)
RF_SYSCALL_PAIR(capset, RF_PRIV_CAPSET, 2)
RF_SYSCALL_PAIR(init_module, RF_MODULE_KIND + RF_MODULE_INIT, 3)
RF_SYSCALL_PAIR(finit_module, RF_MODULE_KIND + RF_MODULE_FINIT, 3)
