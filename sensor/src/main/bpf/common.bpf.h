/* Maps and helpers every program object shares. Each object declares these maps; the loader makes
   all objects reuse the first object's instances (bpf_map__reuse_fd), so there is one ring buffer,
   one configuration and one process table however many objects are loaded.

   Tasks come from tp_btf arguments or bpf_get_current_task_btf(), so their fields are read directly (a load the
   verifier guards) rather than with BPF_CORE_READ (a helper call per pointer followed): in an exec storm the
   probe reads were a third of the programs' time. Pointers that come out of a probe read or a map are plain
   numbers to the verifier and still take BPF_CORE_READ. */
#ifndef RINGFENCE_COMMON_BPF_H
#define RINGFENCE_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ringfence.h"

#define RF_PATH_DEPTH 32
#define RF_USER_HZ_NS 10000000ULL /* /proc/<pid>/stat start times are in 1/100 s */
#define SIGNAL_GROUP_EXIT 0x00000004

char LICENSE[] SEC("license") = "GPL";

/* Sized by user space before load (ringbuf.bytes); this is only the default. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} rf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rf_config);
} rf_config_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} rf_watched SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 131072);
	__type(key, __u32);
	__type(value, struct rf_proc);
} rf_procs SEC(".maps");

/* Failed ring-buffer reservations and token-bucket refusals, per event type. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RF_EV_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} rf_lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RF_EV_TYPES);
	__type(key, __u32);
	__type(value, __u64);
} rf_throttled SEC(".maps");

struct rf_bucket {
	__u64 tokens_milli;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct rf_bucket);
} rf_buckets SEC(".maps");

static __always_inline struct rf_config *rf_cfg(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&rf_config_map, &zero);
}

static __always_inline bool rf_enabled(__u32 type)
{
	struct rf_config *cfg = rf_cfg();
	return cfg && (cfg->enabled_types & (1U << type));
}

static __always_inline __u64 rf_cgroup_id(struct cgroup *cg)
{
	return cg->kn->id;
}

static __always_inline struct cgroup *rf_task_cgroup(struct task_struct *task)
{
	return task->cgroups->dfl_cgrp;
}

/* A cgroup is watched when it or one of its ancestors is in rf_watched. */
static __always_inline bool rf_watched_cgroup(struct cgroup *cg)
{
	struct rf_config *cfg = rf_cfg();
	if (!cfg)
		return false;
	if (cfg->watch_all)
		return true;
	int level = cg->level;
	for (int i = 0; i < 16; i++) {
		if (i > level)
			break;
		struct cgroup *ancestor = NULL;
		bpf_probe_read_kernel(&ancestor, sizeof(ancestor), &cg->ancestors[i]);
		if (!ancestor)
			continue;
		__u64 id = BPF_CORE_READ(ancestor, kn, id); /* read from an array: a plain number to the verifier */
		if (bpf_map_lookup_elem(&rf_watched, &id))
			return true;
	}
	return false;
}

static __always_inline void rf_count(void *map, __u32 type)
{
	__u64 *count = bpf_map_lookup_elem(map, &type);
	if (count)
		*count += 1;
}

/* Per-cgroup token bucket: true when this event must be held back (and counted). */
static __always_inline bool rf_throttled_now(__u64 cgroup_id, __u32 type, __u64 now)
{
	struct rf_config *cfg = rf_cfg();
	if (!cfg || cfg->throttle_rate == 0)
		return false;
	__u64 burst_milli = cfg->throttle_burst * 1000;
	struct rf_bucket *bucket = bpf_map_lookup_elem(&rf_buckets, &cgroup_id);
	if (!bucket) {
		struct rf_bucket fresh = { .tokens_milli = burst_milli - 1000, .last_ns = now };
		bpf_map_update_elem(&rf_buckets, &cgroup_id, &fresh, BPF_ANY);
		return false;
	}
	__u64 refill = (now - bucket->last_ns) * cfg->throttle_rate / 1000000ULL; /* milli-tokens */
	__u64 tokens = bucket->tokens_milli + refill;
	if (tokens > burst_milli)
		tokens = burst_milli;
	bucket->last_ns = now;
	if (tokens < 1000) {
		bucket->tokens_milli = tokens;
		rf_count(&rf_throttled, type);
		return true;
	}
	bucket->tokens_milli = tokens - 1000;
	return false;
}

static __always_inline void *rf_reserve(__u64 size, __u32 type)
{
	void *record = bpf_ringbuf_reserve(&rf_events, size, 0);
	if (!record)
		rf_count(&rf_lost, type);
	return record;
}

/* When this CPU last submitted a record other than a fork or an exit (its header's time_ns). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} rf_last_record SEC(".maps");

/* A wakeup costs the traced task an interrupt and a cross-CPU wakeup of the reader: in a VM the self-IPI
   behind it is an exit, measured at ~30 % of the programs' run time in an exec storm when a CPU woke the reader
   once per drain interval. So records are handed over quietly and user space drains the ring on a short timer
   (rf_config.wakeup_gap_ns, ringbuf.drain). Two kinds of record still wake it at once: the first one on a CPU
   after a quiet spell, which a containment may be waiting for (a shell in a quiet workload would otherwise wait
   for the timer), and any record while an eighth of the ring is waiting, so a burst is read before the ring
   fills. A storm keeps its CPU from being quiet, so it is read by the timer alone, as fast as any wakeup
   would read it. Forks and exits are never what a containment waits for: they neither wake the reader nor end
   a quiet spell, so the exec a fork leads to (or that follows another process's exit) is the record that
   wakes it. */
static __always_inline void rf_submit(struct rf_header *record)
{
	__u64 waiting = bpf_ringbuf_query(&rf_events, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&rf_events, BPF_RB_RING_SIZE);
	bool wake = waiting >= size / 8;
	__u32 zero = 0;
	__u64 *last = bpf_map_lookup_elem(&rf_last_record, &zero);
	struct rf_config *cfg = rf_cfg();
	if (last && cfg && record->type != RF_EV_FORK && record->type != RF_EV_EXIT) {
		__u64 now = record->time_ns;
		if (now - *last >= cfg->wakeup_gap_ns)
			wake = true;
		*last = now;
	}
	bpf_ringbuf_submit(record, wake ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* The process table entry of a tgid; processes the sensor never saw start get one from the
   task's start time, rounded as /proc rounds it so user space's start-up walk computes the same id. */
static __always_inline struct rf_proc *rf_proc_of(struct task_struct *task)
{
	__u32 tgid = task->tgid;
	struct rf_proc *proc = bpf_map_lookup_elem(&rf_procs, &tgid);
	if (proc)
		return proc;
	struct rf_proc fresh = {};
	__u64 start = task->group_leader->start_boottime;
	fresh.exec_start_ns = start / RF_USER_HZ_NS * RF_USER_HZ_NS;
	struct task_struct *parent = task->real_parent;
	__u32 ppid = parent->tgid;
	if (ppid) {
		struct rf_proc *pproc = bpf_map_lookup_elem(&rf_procs, &ppid);
		if (pproc) {
			fresh.parent_start_ns = pproc->exec_start_ns;
		} else {
			__u64 pstart = parent->group_leader->start_boottime;
			fresh.parent_start_ns = pstart / RF_USER_HZ_NS * RF_USER_HZ_NS;
		}
		fresh.parent_pid = ppid;
	}
	bpf_map_update_elem(&rf_procs, &tgid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&rf_procs, &tgid);
}

static __always_inline void rf_fill_header(struct rf_header *h, __u32 type, struct task_struct *task, __u64 now)
{
	h->type = type;
	h->pid = task->tgid;
	h->tid = task->pid;
	h->ppid = task->real_parent->tgid;
	h->time_ns = now;
	h->cgroup_id = rf_cgroup_id(rf_task_cgroup(task));
	struct rf_proc *proc = rf_proc_of(task);
	if (proc) {
		h->exec_start_ns = proc->exec_start_ns;
		h->parent_start_ns = proc->parent_start_ns;
		h->parent_pid = proc->parent_pid;
	}
	__builtin_memcpy(h->comm, task->comm, sizeof(h->comm)); /* the kernel pads comm with zeros after its NUL */
}

/* Should an event of this type about this task be recorded? Counts what the bucket holds back. */
static __always_inline bool rf_wanted(__u32 type, struct task_struct *task, __u64 now)
{
	if (!rf_enabled(type))
		return false;
	struct cgroup *cg = rf_task_cgroup(task);
	if (!rf_watched_cgroup(cg))
		return false;
	return !rf_throttled_now(rf_cgroup_id(cg), type, now);
}

struct rf_path_walk {
	struct dentry *dentry;
	struct mount *mnt;
	struct dentry *mnt_root; /* of mnt, read once per mount crossed instead of once per step */
	char *buf;
	__u32 off;
	bool truncated;
};

/* A dentry's parent and name in two reads: probe reads are most of a walk's cost. */
static __always_inline struct dentry *rf_dentry_parent_name(struct dentry *dentry, struct qstr *name)
{
	bpf_core_read(name, sizeof(*name), &dentry->d_name);
	return BPF_CORE_READ(dentry, d_parent);
}

static long rf_path_step(__u32 index, struct rf_path_walk *walk)
{
	struct dentry *dentry = walk->dentry;
	struct mount *mnt = walk->mnt;
	if (dentry == walk->mnt_root) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
		if (mnt_parent == mnt)
			return 1;
		walk->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		walk->mnt = mnt_parent;
		walk->mnt_root = BPF_CORE_READ(mnt_parent, mnt.mnt_root);
		return 0;
	}
	struct qstr name;
	struct dentry *parent = rf_dentry_parent_name(dentry, &name);
	if (dentry == parent)
		return 1;
	__u32 len = name.len;
	__u32 off = walk->off;
	if (len + 1 > off || off > RF_PATH_MAX) {
		walk->truncated = true;
		return 1;
	}
	off -= len;
	bpf_probe_read_kernel(walk->buf + (off & (RF_PATH_MAX - 1)), len & (RF_PATH_MAX - 1), name.name);
	off -= 1;
	walk->buf[off & (RF_PATH_MAX - 1)] = '/';
	walk->off = off;
	walk->dentry = parent;
	return 0;
}

/* Resolves dentry + mount to an absolute path written backwards ending at buf[RF_PATH_MAX]; returns
   the offset where it starts. Crosses mount points; stops at the root of the mount namespace.
   bpf_loop keeps the verifier's work independent of the depth. */
static __always_inline __u32 rf_read_path(struct dentry *dentry, struct vfsmount *vfsmnt, char *buf, bool *truncated)
{
	struct rf_path_walk walk = {
		.dentry = dentry,
		.mnt = container_of(vfsmnt, struct mount, mnt),
		.mnt_root = BPF_CORE_READ(vfsmnt, mnt_root),
		.buf = buf,
		.off = RF_PATH_MAX,
	};
	bpf_loop(RF_PATH_DEPTH, rf_path_step, &walk, 0);
	__u32 off = walk.off;
	if (off == RF_PATH_MAX) {
		off -= 1;
		buf[off & (RF_PATH_MAX - 1)] = '/';
	}
	*truncated = walk.truncated;
	return off & (RF_PATH_BUF - 1);
}

static __always_inline struct file *rf_file_of_fd(struct task_struct *task, int fd)
{
	struct fdtable *fdt = task->files->fdt;
	struct file **fds = fdt->fd;
	unsigned int max = fdt->max_fds;
	struct file *file = NULL;
	if (fd < 0 || (unsigned int)fd >= max)
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

#endif
