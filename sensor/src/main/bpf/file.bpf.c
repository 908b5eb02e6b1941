/* Opens of sensitive paths: the path is matched in the kernel against an LPM trie of prefixes, so
   opens elsewhere produce nothing. Tasks outside the watched cgroups cost only that check.

   In a watched cgroup every name is normalised first: "." and empty components dropped, "a/.." cancelled, so
   "/etc/../etc//shadow" is matched and reported as "/etc/shadow". An absolute name then is the path (its
   left-over ".." stay at the root). A relative name is resolved:
   1. the ".." its normalisation left over (leading ones, as in "../../etc/shadow") are counted;
   2. the directory it is relative to (the cwd for AT_FDCWD and open(2), else the dirfd's file in the
      task's fd table) is walked up through d_parent, crossing mount points, to the task's root
      (fs->root: a chrooted or containerised process gets the path it sees), skipping one level per
      left-over ".." (as the kernel's own "..": it never climbs above the root);
   3. directory + normalised name is the absolute path that is matched and reported.
   Not resolved (no event, whatever the prefix): a directory deeper than RF_FILE_DEPTH components or
   longer than RF_PATH_MAX bytes, a dirfd that is not an open file, a name with more than
   RF_NAME_COMPONENTS components. The name is matched as written, symbolic links not followed; an open that
   does not match so is matched again when it returns, by the path of the file it opened (every link followed),
   so a link into a watched directory does not hide the open. Hooks: open, openat and openat2; opens submitted
   through io_uring pass no syscall tracepoint and are not seen. */
#include "common.bpf.h"

#define AT_FDCWD -100
#define RF_FILE_DEPTH 64 /* dentry levels walked (skipped ".." levels and mount crossings included) */
#define RF_NAME_COMPONENTS 64 /* a 127-byte name has at most 64 components */

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rf_file_key);
	__type(value, __u32); /* prefix length in bytes */
} rf_file_prefixes SEC(".maps");

/* A watched thread's open in flight that did not match as written. Task storage: it dies with its thread, so an open
   whose return is never seen leaves nothing behind, and finding it is a pointer away rather than a hash lookup. */
struct rf_open_pending {
	int flags;
	__u32 in_flight;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct rf_open_pending);
} rf_open_pending SEC(".maps");

/* Walk state. It lives in the per-CPU map value, not on the stack: the verifier then sees unknown
   scalars and verifies each bpf_loop callback once instead of iterating over every value. */
struct rf_name_walk {
	__u32 start; /* first byte of the current component in name */
	__u32 len; /* bytes of the normalised relative part in buf[RF_PATH_MAX ..] */
	__u32 depth; /* kept components (entries of marks) */
	__u32 up; /* ".." left over once the name's own components are used up */
	__u32 overflow;
	__u32 pad0;
};

struct rf_dir_walk {
	struct dentry *dentry;
	struct mount *mnt;
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	struct dentry *mnt_root; /* of mnt, read once per mount crossed */
	__u32 off;
	__u32 up; /* levels still to skip for the name's leading ".." */
	__u32 complete; /* reached the task's root (or the root of its mount namespace) */
	__u32 pad0;
};

/* Per-CPU work space: the LPM key, the name as passed, and the resolved path: the directory is
   written backwards ending at buf[RF_PATH_MAX], the normalised relative name forwards from there
   ("/a/b"), so the whole path is buf[dir_off .. RF_PATH_MAX + rel_len) with no copy. */
struct rf_file_scratch {
	struct rf_file_key key;
	char name[RF_FILE_PATH];
	char buf[RF_PATH_BUF];
	__u16 marks[RF_NAME_COMPONENTS]; /* where each kept component of the name starts (relative part) */
	struct rf_name_walk nw;
	struct rf_dir_walk dw;
};

/* bpf_loop's context must be on the stack: it only carries the scratch pointer. */
struct rf_walk_ctx {
	struct rf_file_scratch *s;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rf_file_scratch);
} rf_file_scratch SEC(".maps");

/* One byte of the name per call: at each '/' or the NUL the component before it is applied. */
static long rf_name_step(__u32 i, struct rf_walk_ctx *ctx)
{
	struct rf_file_scratch *s = ctx->s;
	struct rf_name_walk *w = &s->nw;
	char c = s->name[i & (RF_FILE_PATH - 1)];
	if (c != '/' && c != 0)
		return 0;
	__u32 start = w->start;
	__u32 len = i - start;
	w->start = i + 1;
	if (len == 0 || (len == 1 && s->name[start & (RF_FILE_PATH - 1)] == '.')) {
		/* "", "." */
	} else if (len == 2 && s->name[start & (RF_FILE_PATH - 1)] == '.' && s->name[(start + 1) & (RF_FILE_PATH - 1)] == '.') {
		if (w->depth > 0) {
			w->depth--;
			w->len = s->marks[w->depth & (RF_NAME_COMPONENTS - 1)];
		} else {
			w->up++;
		}
	} else {
		/* the normalised name is never longer than the name + its leading '/' (<= 128 bytes) */
		__u32 at = w->len;
		if (w->depth >= RF_NAME_COMPONENTS || at + 1 + len > RF_FILE_PATH) {
			w->overflow = 1;
			return 1;
		}
		s->marks[w->depth & (RF_NAME_COMPONENTS - 1)] = at;
		w->depth++;
		s->buf[RF_PATH_MAX + (at & (RF_FILE_PATH - 1))] = '/';
		__u32 n = len & (RF_FILE_PATH - 1);
		asm volatile("" : "+r"(n)); /* keep the bound next to the call */
		n &= RF_FILE_PATH - 1;
		bpf_probe_read_kernel(s->buf + RF_PATH_MAX + ((at + 1) & (RF_FILE_PATH - 1)), n,
				      s->name + (start & (RF_FILE_PATH - 1)));
		w->len = at + 1 + len;
	}
	return c == 0 ? 1 : 0;
}

static long rf_dir_step(__u32 index, struct rf_walk_ctx *ctx)
{
	struct rf_file_scratch *s = ctx->s;
	struct rf_dir_walk *w = &s->dw;
	struct dentry *dentry = w->dentry;
	struct mount *mnt = w->mnt;
	if (dentry == w->root_dentry && &mnt->mnt == w->root_mnt) {
		w->complete = 1; /* ".." at the root stays there: any left-over up is spent */
		return 1;
	}
	if (dentry == w->mnt_root) {
		struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);
		if (mnt_parent == mnt) {
			w->complete = 1;
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mnt_parent;
		w->mnt_root = BPF_CORE_READ(mnt_parent, mnt.mnt_root);
		return 0;
	}
	struct qstr name;
	struct dentry *parent = rf_dentry_parent_name(dentry, &name);
	if (dentry == parent) {
		w->complete = 1;
		return 1;
	}
	w->dentry = parent;
	if (w->up > 0) {
		w->up--;
		return 0;
	}
	__u32 len = name.len;
	__u32 off = w->off;
	if (len + 1 > off || off > RF_PATH_MAX)
		return 1; /* longer than RF_PATH_MAX: not complete */
	off -= len;
	bpf_probe_read_kernel(s->buf + (off & (RF_PATH_MAX - 1)), len & (RF_PATH_MAX - 1), name.name);
	off -= 1;
	s->buf[off & (RF_PATH_MAX - 1)] = '/';
	w->off = off;
	return 0;
}

/* Normalises s->name into buf[RF_PATH_MAX ..] (see rf_name_walk); false when it overflows. */
static __always_inline bool rf_normalise(struct rf_file_scratch *s)
{
	struct rf_walk_ctx ctx = { .s = s };
	__builtin_memset(&s->nw, 0, sizeof(s->nw));
	bpf_loop(RF_FILE_PATH, rf_name_step, &ctx, 0);
	return !s->nw.overflow;
}

/* Whether a '/' in the name is followed by '.' or '/': only then can normalising change it ("/root/.ssh"
   takes the walk too). A plain scan, far cheaper than the walk's callback per byte. */
static __always_inline bool rf_maybe_unnormalised(const char *name)
{
	for (int i = 0; i < RF_FILE_PATH - 1; i++) {
		char c = name[i];
		if (c == 0)
			return false;
		char next = name[i + 1];
		if (c == '/' && (next == '.' || next == '/'))
			return true;
	}
	return false;
}

/* An absolute name, normalised into s->key.path: "/etc/../etc/./shadow" is "/etc/shadow", and ".."
   left over at the root stays there, as the kernel resolves it. */
static __always_inline bool rf_resolve_absolute(struct rf_file_scratch *s)
{
	if (!rf_maybe_unnormalised(s->name)) {
		__builtin_memcpy(s->key.path, s->name, RF_FILE_PATH);
		return true;
	}
	if (!rf_normalise(s))
		return false;
	__u32 len = s->nw.len;
	if (len == 0) {
		s->key.path[0] = '/';
		s->key.path[1] = 0;
		return true;
	}
	if (len > RF_FILE_PATH - 1)
		len = RF_FILE_PATH - 1;
	bpf_probe_read_kernel(s->key.path, len & (RF_FILE_PATH - 1), s->buf + RF_PATH_MAX);
	s->key.path[len & (RF_FILE_PATH - 1)] = 0;
	return true;
}

/* The path of dentry (under vfsmnt) from the task's root, followed by the normalised relative part that
   s->nw describes, into s->key.path; false when the walk does not reach the root. */
static __always_inline bool rf_path_from_root(struct rf_file_scratch *s, struct task_struct *task,
					      struct dentry *dentry, struct vfsmount *vfsmnt)
{
	struct rf_walk_ctx ctx = { .s = s };
	struct rf_name_walk *name = &s->nw;
	if (!dentry || !vfsmnt)
		return false;
	struct rf_dir_walk *dir = &s->dw;
	dir->dentry = dentry;
	dir->mnt = container_of(vfsmnt, struct mount, mnt);
	dir->mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	struct fs_struct *fs = task->fs;
	dir->root_dentry = fs->root.dentry;
	dir->root_mnt = fs->root.mnt;
	dir->off = RF_PATH_MAX;
	dir->up = name->up;
	dir->complete = 0;
	bpf_loop(RF_FILE_DEPTH, rf_dir_step, &ctx, 0);
	if (!dir->complete)
		return false;

	__u32 off = dir->off;
	__u32 rel = name->len;
	if (off > RF_PATH_MAX || rel > RF_FILE_PATH)
		return false;
	if (off == RF_PATH_MAX && rel == 0) {
		s->key.path[0] = '/'; /* the root itself */
		s->key.path[1] = 0;
		return true;
	}
	__u32 total = RF_PATH_MAX - off + rel;
	if (total > RF_FILE_PATH - 1)
		total = RF_FILE_PATH - 1; /* as for an absolute name: the first 127 bytes are matched */
	bpf_probe_read_kernel(s->key.path, total & (RF_FILE_PATH - 1), s->buf + (off & (RF_PATH_BUF - 1)));
	s->key.path[total & (RF_FILE_PATH - 1)] = 0;
	return true;
}

/* Resolves the relative name in s->name against dirfd into s->key.path; false when it cannot. */
static __always_inline bool rf_resolve(struct rf_file_scratch *s, struct task_struct *task, int dirfd)
{
	if (!rf_normalise(s))
		return false;
	if (dirfd == AT_FDCWD)
		return rf_path_from_root(s, task, task->fs->pwd.dentry, task->fs->pwd.mnt);
	struct file *file = rf_file_of_fd(task, dirfd);
	if (!file)
		return false;
	return rf_path_from_root(s, task, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt));
}

/* The prefix s->key.path matches, in bytes; 0 for none. */
static __always_inline __u32 rf_matched_prefix(struct rf_file_scratch *s)
{
	s->key.prefixlen = RF_FILE_PATH * 8;
	__u32 *prefix_len = bpf_map_lookup_elem(&rf_file_prefixes, &s->key);
	return prefix_len ? *prefix_len : 0;
}

static __always_inline void rf_report_open(struct rf_file_scratch *s, struct task_struct *task, int flags,
					   __u32 prefix_len)
{
	__u64 now = bpf_ktime_get_boot_ns();
	if (!rf_wanted(RF_EV_FILE, task, now))
		return;
	struct rf_file *event = rf_reserve(sizeof(*event), RF_EV_FILE);
	if (!event)
		return;
	rf_fill_header(&event->h, RF_EV_FILE, task, now);
	event->flags = flags;
	event->prefix_len = prefix_len;
	__builtin_memcpy(event->path, s->key.path, RF_FILE_PATH);
	rf_submit(&event->h);
}

static __always_inline void rf_open(int dirfd, const char *filename, int flags)
{
	if (!rf_enabled(RF_EV_FILE))
		return;
	__u32 zero = 0;
	struct rf_file_scratch *s = bpf_map_lookup_elem(&rf_file_scratch, &zero);
	if (!s)
		return;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	if (bpf_probe_read_user_str(s->name, sizeof(s->name), filename) <= 1)
		return;
	/* the walks cost more than the selector: unwatched cgroups skip them (rf_wanted checks again
	   after a match, with the token bucket, which must only count matches) */
	if (!rf_watched_cgroup(rf_task_cgroup(task)))
		return;
	if (s->name[0] == '/' ? rf_resolve_absolute(s) : rf_resolve(s, task, dirfd)) {
		__u32 prefix_len = rf_matched_prefix(s);
		if (prefix_len) {
			rf_report_open(s, task, flags, prefix_len);
			return;
		}
	}
	/* unmatched as written: a symbolic link on the way may still lead into a watched path (ln -s /etc e;
	   cat e/shadow), so the file it opened is matched by its own path when the open returns */
	struct rf_open_pending *pending = bpf_task_storage_get(&rf_open_pending, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (pending) {
		pending->flags = flags;
		pending->in_flight = 1;
	}
}

/* A watched task's open that did not match as written has returned: its file's path from the task's root, with
   every symbolic link the kernel followed resolved, is matched instead. */
static __always_inline void rf_open_returned(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct rf_open_pending *pending = bpf_task_storage_get(&rf_open_pending, task, 0, 0);
	if (!pending || !pending->in_flight)
		return;
	pending->in_flight = 0;
	int flags = pending->flags;
	if (fd < 0)
		return;
	__u32 zero = 0;
	struct rf_file_scratch *s = bpf_map_lookup_elem(&rf_file_scratch, &zero);
	if (!s)
		return;
	struct file *file = rf_file_of_fd(task, (int)fd);
	if (!file)
		return;
	__builtin_memset(&s->nw, 0, sizeof(s->nw));
	if (!rf_path_from_root(s, task, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt)))
		return;
	__u32 prefix_len = rf_matched_prefix(s);
	if (prefix_len)
		rf_report_open(s, task, flags, prefix_len);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int rf_openat(struct trace_event_raw_sys_enter *ctx)
{
	rf_open((int)ctx->args[0], (const char *)ctx->args[1], (int)ctx->args[2]);
	return 0;
}

/* openat2(2) (Linux 5.6+) carries its flags in a struct open_how: without this hook it opens any watched path unseen. */
SEC("tracepoint/syscalls/sys_enter_openat2")
int rf_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how *how = (struct open_how *)ctx->args[2];
	__u64 flags = 0;
	bpf_probe_read_user(&flags, sizeof(flags), &how->flags);
	rf_open((int)ctx->args[0], (const char *)ctx->args[1], (int)flags);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_open")
int rf_open_legacy(struct trace_event_raw_sys_enter *ctx)
{
	rf_open(AT_FDCWD, (const char *)ctx->args[0], (int)ctx->args[1]);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int rf_openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	rf_open_returned(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int rf_openat2_exit(struct trace_event_raw_sys_exit *ctx)
{
	rf_open_returned(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_open")
int rf_open_legacy_exit(struct trace_event_raw_sys_exit *ctx)
{
	rf_open_returned(ctx->ret);
	return 0;
}
