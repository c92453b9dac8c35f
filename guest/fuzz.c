// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz: a structure-aware fuzzer of the iommufd uAPI and of the vfio cdev.
 *
 * Several processes, each with its own iommufd and several threads sharing
 * it, make random calls: every iommufd ioctl, the selftest ops of the mock
 * driver (mock devices with and without PASIDs, accesses, PASID attach, page
 * faults), reads and writes of fault queues, and the vfio cdev calls on the
 * edu device when one is present. Arguments are built from the structures:
 * sizes around each one's minimum and current size, every flag bit, IDs
 * biased towards live objects of the right and of the wrong type, lengths at
 * their edges, and user pointers that fault part way through a copy.
 *
 * It checks results, not only survival:
 * - every errno is one fuzz_errnos.h allows for that call;
 * - a call never succeeds naming an ID that this process's iommufd did not
 *   hand out in the round (IDs of other processes are tried on purpose), so
 *   no object of another context is reachable; judged on the calls that ran
 *   with no other call of their process beside them, since an object shows
 *   while the call making it runs, and goes if that call then fails;
 * - at the end of each round the process closes everything, and then no
 *   page of its buffers is pinned (TEST_OP_MD_CHECK_REFS) and its VmPin is 0.
 * Kernel splats and kmemleak reports are judged by the harness.
 *
 * A seed names the calls each thread draws: with -p 1 -j 1, -P and -J pick
 * which process's and thread's stream runs alone, and it replays exactly
 * what that thread did when it ran alone. Among others its calls also
 * depend on theirs (the objects they made, the fds they closed, the
 * interleaving), so a failure prints the last calls of the failing thread,
 * or, for a splat, of every thread of its process, with the command that
 * replays each one.
 *
 * Usage: fuzz [-s SEED] [-t SECONDS] [-p PROCS] [-j THREADS] [-r CALLS]
 *             [-n MAXCALLS] [-P PROC] [-J THREAD] [-v]
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "iommufd_test.h"
#include "edu.h"
#include "fuzz_errnos.h"

#define PSZ		4096UL
#define MAX_PROCS	8
#define MAX_THREADS	8
#define MAX_OBJS	64
#define MAX_FDS		32
#define NR_BUFS		4
#define BUF_PAGES	16
#define LOG_LEN		4096	/* a default round of calls, for TAP case 2 */
#define LOG_TAIL	128	/* the calls a failure prints */
#define LOG_LINE	176
#define PUB_IDS		32
#define NR_ERRNOS	134

/* VFIO cdev PASID flags (upstream 6.15), defined for older headers too */
#ifndef VFIO_DEVICE_ATTACH_PASID
#define VFIO_DEVICE_ATTACH_PASID (1 << 0)
#endif
#ifndef VFIO_DEVICE_DETACH_PASID
#define VFIO_DEVICE_DETACH_PASID (1 << 0)
#endif

enum obj_type {
	T_IOAS, T_HWPT, T_NESTED, T_IDEV, T_STDEV, T_VIOMMU, T_VDEVICE,
	T_FAULT, NR_TYPES
};

enum fd_kind { FD_ACCESS, FD_FAULT };

/* What the processes share: results, and the IDs each one published */
enum fail_kind { F_ERRNO, F_ISOLATION, F_PINNED, F_SPLAT, F_DAMAGE, NR_FAIL };

struct shared {
	uint64_t calls[MAX_PROCS];
	uint64_t rounds[MAX_PROCS];
	uint64_t op_calls[NR_OPS];
	uint64_t exact_checks;		/* successes judged with no call beside */
	uint32_t failed[NR_FAIL];
	uint8_t pairs[NR_OPS][NR_ERRNOS];	/* errno 0 is success */
	uint8_t reported[NR_OPS][NR_ERRNOS];
	uint32_t pub[MAX_PROCS][PUB_IDS];
	pthread_mutex_t print_lock;
};

struct ctx {
	int fd;
	pthread_mutex_t lock;
	/*
	 * Held for reading while a call uses one of the fds below, for writing
	 * to close one: a number closed under a call would otherwise be
	 * reused for another file, and the call reach a file it did not mean.
	 */
	pthread_rwlock_t fd_lock;
	/*
	 * Held for reading around each call; one call in eight takes it for
	 * writing and so runs alone in the process, where the ID check below
	 * can judge it.
	 */
	pthread_rwlock_t solo_lock;
	uint32_t ids[NR_TYPES][MAX_OBJS];
	int nr[NR_TYPES];
	struct { int fd; enum fd_kind kind; } fds[MAX_FDS];
	int nr_fds;
	uint32_t access_pages[MAX_OBJS];	/* (access fd << 16) | id */
	int nr_access_pages;
	uint64_t ncalls;			/* calls made on fd */
	uint32_t max_known;
	int vfio_fd;				/* -1: none open */
	int vfio_bound;
};

struct thread {
	int proc, idx;
	uint64_t rng;
	uint64_t calls, round_calls;
	char log[LOG_LEN][LOG_LINE];
	uint64_t log_pos;
	uint64_t busy;		/* odd during a call and its bookkeeping */
	char outs[48];		/* the IDs the call handed out, for the log */
	pthread_t tid;
};

static uint64_t opt_seed;
static int opt_secs = 60, opt_procs = 2, opt_threads = 2, opt_verbose;
static uint64_t opt_round = 4000, opt_max;
static int opt_pbase, opt_tbase;	/* -P, -J: the first streams to run */
static struct shared *sh;
static struct ctx ctx;
static int proc_idx;
static char vfio_path[300];
static uint8_t *bufs[NR_BUFS];		/* BUF_PAGES each, private */
/* A readable page before a PROT_NONE one, for copies that fault part way */
static __thread uint8_t *guard;
static uint8_t *rdonly;			/* BUF_PAGES read-only */
static struct timespec t_end;
static pthread_barrier_t round_start, round_end;
static volatile int stopping;
static __thread struct thread *self;	/* the thread making the call */
static int kmsg = -1;			/* this process's reader of the kernel log */
static pthread_mutex_t kmsg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct thread *threads;

/*
 * Every object ID this process's iommufd has handed out in the round (the
 * output fields of the calls that create objects, automatic ones included).
 * A call that succeeds naming any other ID reached an object that is not
 * this context's.
 */
#define MAX_KNOWN	(1U << 22)
static uint8_t *known;
/*
 * The same, as a bitmap in a mapping of its own: where the two disagree,
 * something wrote over the fuzzer's memory (the kernel, through an address a
 * call gave it). Only lost IDs are seen; a stray write that set bytes would
 * hide an isolation failure instead.
 */
static uint64_t *known_shadow;
static int damage_seen;

static int is_known(uint32_t id)
{
	return id < MAX_KNOWN && __atomic_load_n(&known[id], __ATOMIC_ACQUIRE);
}

/* xorshift64* */
static uint64_t rnd(struct thread *t)
{
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(struct thread *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

static int chance(struct thread *t, int pct)
{
	return below(t, 100) < (uint64_t)pct;
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void log_call(struct thread *t, const char *fmt, ...)
{
	char *line = t->log[t->log_pos++ % LOG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, LOG_LINE, fmt, ap);
	va_end(ap);
}

static void dump_log(struct thread *t)
{
	uint64_t i = t->log_pos > LOG_TAIL ? t->log_pos - LOG_TAIL : 0;

	fprintf(stderr, "# calls of process %d thread %d, seed %" PRIu64
		" (alone: -s %" PRIu64 " -p 1 -j 1 -P %d -J %d), oldest first:\n",
		t->proc, t->idx, opt_seed, opt_seed, t->proc, t->idx);
	for (; i < t->log_pos; i++)
		fprintf(stderr, "#   %6" PRIu64 " %s\n", i, t->log[i % LOG_LEN]);
}

/* Whether a logged call handed out, named or destroyed object @id */
static int log_names(const char *line, uint32_t id)
{
	char tok[16];
	const char *p;
	size_t n;

	n = snprintf(tok, sizeof(tok), "%u", id);
	for (p = line; (p = strstr(p, tok)); p += n) {
		/* a whole number: "=72" or " i72", not "172", "0x72" or "=7" */
		if (p > line && (isdigit((unsigned char)p[-1]) ||
				 (p[-1] == 'x' && p - 1 > line && p[-2] == '0')))
			continue;
		if (p[n] >= '0' && p[n] <= '9')
			continue;
		return 1;
	}
	return 0;
}

/*
 * Whether known[] lost an ID its shadow kept (the shadow is read first: an
 * ID's bit there is set after its byte in known[])
 */
static int known_damaged(void)
{
	uint32_t id, max = __atomic_load_n(&ctx.max_known, __ATOMIC_RELAXED);

	for (id = 1; id <= max && id < MAX_KNOWN; id++)
		if ((__atomic_load_n(&known_shadow[id / 64], __ATOMIC_ACQUIRE) >>
		     (id % 64) & 1) && !__atomic_load_n(&known[id], __ATOMIC_RELAXED))
			return 1;
	return 0;
}

/* Where known[] lost IDs its shadow kept, and the fuzzer's mappings */
static void dump_known_damage(void)
{
	uint32_t id, lo = 0, n = 0;
	int i;

	for (id = 0; id <= MAX_KNOWN; id++) {
		int lost = id < MAX_KNOWN && !known[id] &&
			   (known_shadow[id / 64] >> (id % 64) & 1);

		if (lost && !n++)
			lo = id;
		if (!lost && n) {
			fprintf(stderr, "# known[] lost IDs %u-%u (%u of them): "
				"bytes %p-%p were overwritten\n", lo, id - 1, n,
				(void *)&known[lo], (void *)&known[id - 1]);
			n = 0;
		}
	}
	fprintf(stderr, "# known[] at %p; buffers:", (void *)known);
	for (i = 0; i < NR_BUFS; i++)
		fprintf(stderr, " %p", (void *)bufs[i]);
	fprintf(stderr, "; read-only %p; this thread's guard %p\n",
		(void *)rdonly, (void *)guard);
}

/*
 * Every call of the round (its last LOG_LEN), in every thread of the
 * process, that mentions @id: tells "made, and the fuzzer lost it" from
 * "never handed out". The other threads' logs are read while they may still
 * write them: a line can come out torn, never past its end.
 */
static void dump_id_history(uint32_t id)
{
	for (int i = 0; i < opt_threads; i++) {
		struct thread *t = &threads[i];
		uint64_t n = t->round_calls, j;

		if (n > LOG_LEN)
			n = LOG_LEN;
		if (n > t->log_pos)
			n = t->log_pos;
		fprintf(stderr, "# calls of thread %d since its round began "
			"(%" PRIu64 " calls) that name %u:\n", t->idx,
			t->round_calls, id);
		for (j = t->log_pos - n; j < t->log_pos; j++)
			if (log_names(t->log[j % LOG_LEN], id))
				fprintf(stderr, "#   %6" PRIu64 " %s\n", j,
					t->log[j % LOG_LEN]);
	}
}

static void fail(struct thread *t, enum fail_kind kind, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&sh->print_lock);
	fprintf(stderr, "# FAIL (process %d thread %d): ", t->proc, t->idx);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (kind == F_SPLAT || kind == F_ISOLATION || kind == F_DAMAGE) {
		/* Any thread's last call may be the culprit */
		for (int i = 0; i < opt_threads; i++)
			dump_log(&threads[i]);
	} else {
		dump_log(t);
	}
	__atomic_add_fetch(&sh->failed[kind], 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&sh->print_lock);
	/* Each undocumented errno is worth knowing of: go on for the others */
	if (kind != F_ERRNO)
		stopping = 1;
}

/* Object bookkeeping: a bias for the generator, not the truth */
static void obj_add(enum obj_type type, uint32_t id)
{
	if (self) {
		size_t n = strlen(self->outs);

		/* i IOAS, h HWPT, n nested, I idev, s stdev, v vIOMMU, d vDEVICE, f fault */
		snprintf(self->outs + n, sizeof(self->outs) - n, " %c%u",
			 "ihnIsvdf"[type], id);
	}
	pthread_mutex_lock(&ctx.lock);
	if (id < MAX_KNOWN) {
		__atomic_store_n(&known[id], 1, __ATOMIC_RELEASE);
		__atomic_or_fetch(&known_shadow[id / 64], 1ULL << (id % 64),
				  __ATOMIC_RELEASE);
	}
	if (id > ctx.max_known)
		__atomic_store_n(&ctx.max_known, id, __ATOMIC_RELAXED);
	if (ctx.nr[type] < MAX_OBJS)
		ctx.ids[type][ctx.nr[type]++] = id;
	else
		ctx.ids[type][id % MAX_OBJS] = id;
	sh->pub[proc_idx][id % PUB_IDS] = id;
	pthread_mutex_unlock(&ctx.lock);
}

static void obj_del(uint32_t id)
{
	int t, i;

	pthread_mutex_lock(&ctx.lock);
	for (t = 0; t < NR_TYPES; t++)
		for (i = 0; i < ctx.nr[t]; i++)
			if (ctx.ids[t][i] == id)
				ctx.ids[t][i--] = ctx.ids[t][--ctx.nr[t]];
	pthread_mutex_unlock(&ctx.lock);
}

static void fd_add(int fd, enum fd_kind kind)
{
	pthread_mutex_lock(&ctx.lock);
	if (ctx.nr_fds < MAX_FDS) {
		ctx.fds[ctx.nr_fds].fd = fd;
		ctx.fds[ctx.nr_fds++].kind = kind;
		fd = -1;
	}
	pthread_mutex_unlock(&ctx.lock);
	if (fd >= 0)
		close(fd);
}

/* A random fd of @kind, or -1; with @take, it leaves the table */
static int fd_pick(struct thread *t, enum fd_kind kind, int take)
{
	int i, n = 0, fd = -1, idx[MAX_FDS];

	pthread_mutex_lock(&ctx.lock);
	for (i = 0; i < ctx.nr_fds; i++)
		if (ctx.fds[i].kind == kind)
			idx[n++] = i;
	if (n) {
		i = idx[below(t, n)];
		fd = ctx.fds[i].fd;
		if (take)
			ctx.fds[i] = ctx.fds[--ctx.nr_fds];
	}
	pthread_mutex_unlock(&ctx.lock);
	return fd;
}

/* Set by pick_id(): the largest ID this call used that the kernel resolves */
struct call {
	enum fuzz_op op;
	uint32_t ids[6];
	int nr_ids;
	char desc[LOG_LINE - 40];
};

/*
 * An ID for a field that names an object of @type: mostly a live one of that
 * type, else one of another type, 0, a huge one, or one that another process
 * has (which this context's iommufd cannot resolve unless it made that many
 * objects itself).
 */
static uint32_t pick_id(struct thread *t, struct call *c, enum obj_type type)
{
	uint32_t id = 0;
	int r = below(t, 100), ot;

	pthread_mutex_lock(&ctx.lock);
	if (r < 65 && ctx.nr[type]) {
		id = ctx.ids[type][below(t, ctx.nr[type])];
	} else if (r < 80) {
		ot = below(t, NR_TYPES);
		if (ctx.nr[ot])
			id = ctx.ids[ot][below(t, ctx.nr[ot])];
	} else if (r < 90) {
		id = sh->pub[below(t, opt_procs)][below(t, PUB_IDS)];
	} else if (r < 95) {
		id = ctx.max_known + 1 + below(t, 64);	/* not made yet */
	} else if (r < 98) {
		id = rnd(t);
	} else {
		id = r & 1 ? UINT32_MAX : 0;
	}
	pthread_mutex_unlock(&ctx.lock);
	if (c->nr_ids < (int)(sizeof(c->ids) / sizeof(c->ids[0])))
		c->ids[c->nr_ids++] = id;
	return id;
}

/* A user address: mostly in a buffer, else read-only, faulting, or wild */
static uint64_t pick_uptr(struct thread *t, uint64_t *len)
{
	int r = below(t, 100);
	uint8_t *b = bufs[below(t, NR_BUFS)];

	if (r < 70)
		return (uintptr_t)(b + below(t, BUF_PAGES) * PSZ);
	if (r < 78)
		return (uintptr_t)(rdonly + below(t, BUF_PAGES) * PSZ);
	if (r < 88) {		/* readable, then PROT_NONE part way */
		if (len)
			*len = PSZ * (1 + below(t, 3));
		return (uintptr_t)guard + (chance(t, 50) ? 0 : PSZ - 64);
	}
	if (r < 92)
		return (uintptr_t)b + below(t, PSZ);	/* unaligned */
	if (r < 96)
		return 0;
	return rnd(t);
}

static uint64_t pick_len(struct thread *t)
{
	static const uint64_t edge[] = {
		0, 1, PSZ - 1, PSZ, PSZ + 1, 2 * PSZ, BUF_PAGES * PSZ,
		BUF_PAGES * PSZ + PSZ, 1ULL << 31, 1ULL << 32, UINT64_MAX,
		UINT64_MAX - PSZ + 1,
	};

	if (chance(t, 70))
		return PSZ * (1 + below(t, BUF_PAGES));
	return edge[below(t, sizeof(edge) / sizeof(edge[0]))];
}

static uint64_t pick_iova(struct thread *t)
{
	static const uint64_t edge[] = {
		0, PSZ, MOCK_APERTURE_START,
		(uint64_t)MOCK_APERTURE_LAST + 1 - PSZ,
		(uint64_t)MOCK_APERTURE_LAST + 1, MOCK_RESV_IOVA, 1ULL << 32,
		UINT64_MAX - PSZ + 1, UINT64_MAX, 1,
	};

	if (chance(t, 75))
		return MOCK_APERTURE_START + below(t, 64) * PSZ;
	return edge[below(t, sizeof(edge) / sizeof(edge[0]))];
}

/* Flags: mostly the valid ones, sometimes each other bit */
static uint32_t pick_flags(struct thread *t, uint32_t valid)
{
	uint32_t f = valid ? rnd(t) & valid : 0;

	if (chance(t, 10))
		f |= 1U << below(t, 32);
	return f;
}

static uint32_t pick_pasid(struct thread *t)
{
	static const uint32_t edge[] = {
		0, 1, IOMMU_TEST_PASID_RESERVED, (1U << MOCK_PASID_WIDTH) - 1,
		1U << MOCK_PASID_WIDTH, UINT32_MAX,
	};

	if (chance(t, 70))
		return 1 + below(t, 8);
	return edge[below(t, sizeof(edge) / sizeof(edge[0]))];
}

/*
 * Where an ioctl's structure lives: mostly a private buffer, sometimes
 * across the end of a readable page so that the copy faults part way.
 */
static void *arg_place(struct thread *t, void *buf, size_t len)
{
	if (chance(t, 4))
		return guard + PSZ - 4 - below(t, len > 4 ? len - 4 : 1);
	return buf;
}

/*
 * The size to put in the structure's size field: mostly its own, else its
 * minimum, one less, a larger one with a zero or non-zero tail, or 0.
 */
static uint32_t pick_size(struct thread *t, uint8_t *buf, size_t cur,
			  size_t min, size_t room)
{
	int r = below(t, 100);

	if (r < 80)
		return cur;
	if (r < 85)
		return min;
	if (r < 88)
		return min - 1;
	if (r < 94) {
		if (cur + 16 <= room && chance(t, 50))
			buf[cur + below(t, 16)] = 1 + below(t, 255);
		return cur + 16 <= room ? cur + 16 : cur;
	}
	if (r < 97)
		return 0;
	return room;
}

struct argbuf {
	uint8_t b[512] __attribute__((aligned(8)));
};

static int do_ioctl(int fd, unsigned long nr, struct argbuf *a, size_t len,
		    void **where, struct thread *t)
{
	void *p = arg_place(t, a, len);

	size_t fit = guard + PSZ - (uint8_t *)p;
	int err;

	*where = p;
	/* Only what fits before the guard page is copied there */
	if (p != a)
		memcpy(p, a, fit < len ? fit : len);
	err = ioctl(fd, nr, p) ? errno : 0;
	/* The kernel could read it all, so it wrote its outputs there */
	if (!err && p != a)
		memcpy(a, p, fit < len ? fit : len);
	return err;
}

#define FILL(type, var)						\
	type *var = (type *)a.b;					\
	memset(&a, 0, sizeof(a))


static int call_iommufd(struct thread *t, struct call *c)
{
	struct argbuf a;
	void *where;
	uint64_t len = 0;
	int err = 0;

	pthread_mutex_lock(&ctx.lock);
	ctx.ncalls++;
	pthread_mutex_unlock(&ctx.lock);

	switch (c->op) {
	case OP_DESTROY: {
		FILL(struct iommu_destroy, d);
		d->id = pick_id(t, c, below(t, NR_TYPES));
		d->size = pick_size(t, a.b, sizeof(*d), 8, sizeof(a));
		snprintf(c->desc, sizeof(c->desc), "destroy id=%u sz=%u",
			 d->id, d->size);
		err = do_ioctl(ctx.fd, IOMMU_DESTROY, &a, sizeof(*d), &where, t);
		if (!err)
			obj_del(d->id);
		break;
	}
	case OP_IOAS_ALLOC: {
		FILL(struct iommu_ioas_alloc, d);
		d->flags = pick_flags(t, 0);
		d->size = pick_size(t, a.b, sizeof(*d), 12, sizeof(a));
		snprintf(c->desc, sizeof(c->desc), "ioas_alloc flags=%#x sz=%u",
			 d->flags, d->size);
		err = do_ioctl(ctx.fd, IOMMU_IOAS_ALLOC, &a, sizeof(*d), &where, t);
		if (!err)
			obj_add(T_IOAS, d->out_ioas_id);
		break;
	}
	case OP_IOAS_ALLOW_IOVAS:
	case OP_IOAS_IOVA_RANGES: {
		FILL(struct iommu_ioas_allow_iovas, d);
		struct iommu_iova_range *r = (void *)(a.b + 256);
		int i, n = below(t, 4);

		d->ioas_id = pick_id(t, c, T_IOAS);
		d->num_iovas = chance(t, 90) ? n : rnd(t);
		for (i = 0; i < n; i++) {
			r[i].start = pick_iova(t);
			r[i].last = r[i].start + pick_len(t) - 1;
		}
		/* r has room for 16: the kernel writes one per range it has */
		if (chance(t, 85)) {
			d->allowed_iovas = (uintptr_t)r;
			if (d->num_iovas > 16)
				d->num_iovas = 16;
		} else {
			d->allowed_iovas = pick_uptr(t, NULL);
		}
		if (c->op == OP_IOAS_ALLOW_IOVAS) {
			d->size = pick_size(t, a.b, sizeof(*d), 24, 256);
			snprintf(c->desc, sizeof(c->desc),
				 "allow_iovas ioas=%u num=%u sz=%u",
				 d->ioas_id, d->num_iovas, d->size);
			err = do_ioctl(ctx.fd, IOMMU_IOAS_ALLOW_IOVAS, &a,
				       sizeof(*d), &where, t);
		} else {
			d->size = pick_size(t, a.b,
					    sizeof(struct iommu_ioas_iova_ranges),
					    32, 256);
			snprintf(c->desc, sizeof(c->desc),
				 "iova_ranges ioas=%u num=%u sz=%u",
				 d->ioas_id, d->num_iovas, d->size);
			err = do_ioctl(ctx.fd, IOMMU_IOAS_IOVA_RANGES, &a,
				       sizeof(struct iommu_ioas_iova_ranges),
				       &where, t);
		}
		break;
	}
	case OP_IOAS_MAP: {
		FILL(struct iommu_ioas_map, d);
		d->ioas_id = pick_id(t, c, T_IOAS);
		d->flags = pick_flags(t, IOMMU_IOAS_MAP_FIXED_IOVA |
				      IOMMU_IOAS_MAP_WRITEABLE |
				      IOMMU_IOAS_MAP_READABLE);
		len = pick_len(t);
		d->user_va = pick_uptr(t, &len);
		d->length = len;
		d->iova = pick_iova(t);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc),
			 "map ioas=%u flags=%#x va=%#llx len=%#llx iova=%#llx sz=%u",
			 d->ioas_id, d->flags, (unsigned long long)d->user_va,
			 (unsigned long long)d->length,
			 (unsigned long long)d->iova, d->size);
		err = do_ioctl(ctx.fd, IOMMU_IOAS_MAP, &a, sizeof(*d), &where, t);
		break;
	}
	case OP_IOAS_UNMAP: {
		FILL(struct iommu_ioas_unmap, d);
		d->ioas_id = pick_id(t, c, T_IOAS);
		if (chance(t, 20)) {
			d->iova = 0;
			d->length = UINT64_MAX;	/* everything */
		} else {
			d->iova = pick_iova(t);
			d->length = pick_len(t);
		}
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc),
			 "unmap ioas=%u iova=%#llx len=%#llx sz=%u", d->ioas_id,
			 (unsigned long long)d->iova,
			 (unsigned long long)d->length, d->size);
		err = do_ioctl(ctx.fd, IOMMU_IOAS_UNMAP, &a, sizeof(*d), &where, t);
		break;
	}
	case OP_IOAS_COPY: {
		FILL(struct iommu_ioas_copy, d);
		d->dst_ioas_id = pick_id(t, c, T_IOAS);
		d->src_ioas_id = pick_id(t, c, T_IOAS);
		d->flags = pick_flags(t, IOMMU_IOAS_MAP_FIXED_IOVA |
				      IOMMU_IOAS_MAP_WRITEABLE |
				      IOMMU_IOAS_MAP_READABLE);
		d->length = pick_len(t);
		d->dst_iova = pick_iova(t);
		d->src_iova = pick_iova(t);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc),
			 "copy %u<-%u flags=%#x len=%#llx sz=%u", d->dst_ioas_id,
			 d->src_ioas_id, d->flags,
			 (unsigned long long)d->length, d->size);
		err = do_ioctl(ctx.fd, IOMMU_IOAS_COPY, &a, sizeof(*d), &where, t);
		break;
	}
	case OP_OPTION: {
		FILL(struct iommu_option, d);
		d->option_id = chance(t, 90) ? below(t, 2) : rnd(t);
		d->op = chance(t, 90) ? below(t, 2) : rnd(t);
		d->object_id = chance(t, 50) ? 0 : pick_id(t, c, T_IOAS);
		d->val64 = chance(t, 80) ? below(t, 2) : rnd(t);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc),
			 "option id=%u op=%u obj=%u val=%#llx sz=%u",
			 d->option_id, d->op, d->object_id,
			 (unsigned long long)d->val64, d->size);
		err = do_ioctl(ctx.fd, IOMMU_OPTION, &a, sizeof(*d), &where, t);
		break;
	}
	case OP_VFIO_IOAS: {
		FILL(struct iommu_vfio_ioas, d);
		d->op = chance(t, 90) ? below(t, 3) : rnd(t);
		d->ioas_id = d->op == IOMMU_VFIO_IOAS_SET ?
			     pick_id(t, c, T_IOAS) : pick_flags(t, 0);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc), "vfio_ioas op=%u ioas=%u sz=%u",
			 d->op, d->ioas_id, d->size);
		err = do_ioctl(ctx.fd, IOMMU_VFIO_IOAS, &a, sizeof(*d), &where, t);
		if (!err && d->op == IOMMU_VFIO_IOAS_GET)
			obj_add(T_IOAS, d->ioas_id);
		break;
	}
	case OP_HWPT_ALLOC: {
		FILL(struct iommu_hwpt_alloc, d);
		struct iommu_hwpt_selftest *data = (void *)(a.b + 256);
		int nested = chance(t, 40);

		d->flags = pick_flags(t, IOMMU_HWPT_ALLOC_NEST_PARENT |
				      IOMMU_HWPT_ALLOC_DIRTY_TRACKING |
				      IOMMU_HWPT_FAULT_ID_VALID |
				      IOMMU_HWPT_ALLOC_PASID);
		d->dev_id = pick_id(t, c, T_IDEV);
		d->pt_id = pick_id(t, c, nested ? (chance(t, 50) ? T_HWPT :
						   T_VIOMMU) : T_IOAS);
		if (d->flags & IOMMU_HWPT_FAULT_ID_VALID)
			d->fault_id = pick_id(t, c, T_FAULT);
		if (nested) {
			d->data_type = chance(t, 90) ? IOMMU_HWPT_DATA_SELFTEST :
				       rnd(t);
			data->iotlb = IOMMU_TEST_IOTLB_DEFAULT;
			d->data_len = chance(t, 85) ? sizeof(*data) : below(t, 64);
			d->data_uptr = chance(t, 90) ? (uintptr_t)data :
				       pick_uptr(t, NULL);
		}
		d->size = pick_size(t, a.b, sizeof(*d), 24, 256);
		snprintf(c->desc, sizeof(c->desc),
			 "hwpt_alloc flags=%#x dev=%u pt=%u fault=%u type=%#x len=%u sz=%u",
			 d->flags, d->dev_id, d->pt_id, d->fault_id,
			 d->data_type, d->data_len, d->size);
		err = do_ioctl(ctx.fd, IOMMU_HWPT_ALLOC, &a, sizeof(*d), &where, t);
		if (!err)
			obj_add(nested ? T_NESTED : T_HWPT, d->out_hwpt_id);
		break;
	}
	case OP_GET_HW_INFO: {
		FILL(struct iommu_hw_info, d);
		d->dev_id = pick_id(t, c, T_IDEV);
		d->flags = pick_flags(t, 0);
		d->data_len = chance(t, 80) ? below(t, 32) : rnd(t);
		d->data_uptr = pick_uptr(t, NULL);
		d->size = pick_size(t, a.b, sizeof(*d), 32, sizeof(a));
		snprintf(c->desc, sizeof(c->desc),
			 "hw_info dev=%u flags=%#x len=%u sz=%u", d->dev_id,
			 d->flags, d->data_len, d->size);
		err = do_ioctl(ctx.fd, IOMMU_GET_HW_INFO, &a, sizeof(*d), &where, t);
		break;
	}
	case OP_HWPT_SET_DIRTY: {
		FILL(struct iommu_hwpt_set_dirty_tracking, d);
		d->hwpt_id = pick_id(t, c, T_HWPT);
		d->flags = pick_flags(t, IOMMU_HWPT_DIRTY_TRACKING_ENABLE);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc), "set_dirty hwpt=%u flags=%#x sz=%u",
			 d->hwpt_id, d->flags, d->size);
		err = do_ioctl(ctx.fd, IOMMU_HWPT_SET_DIRTY_TRACKING, &a,
			       sizeof(*d), &where, t);
		break;
	}
	case OP_HWPT_GET_DIRTY: {
		FILL(struct iommu_hwpt_get_dirty_bitmap, d);
		d->hwpt_id = pick_id(t, c, T_HWPT);
		d->flags = pick_flags(t, IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR);
		d->iova = pick_iova(t);
		d->length = pick_len(t);
		d->page_size = chance(t, 80) ? PSZ : 1ULL << below(t, 64);
		d->data = pick_uptr(t, NULL);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc),
			 "get_dirty hwpt=%u iova=%#llx len=%#llx pgsz=%#llx sz=%u",
			 d->hwpt_id, (unsigned long long)d->iova,
			 (unsigned long long)d->length,
			 (unsigned long long)d->page_size, d->size);
		err = do_ioctl(ctx.fd, IOMMU_HWPT_GET_DIRTY_BITMAP, &a,
			       sizeof(*d), &where, t);
		break;
	}
	case OP_HWPT_INVALIDATE: {
		FILL(struct iommu_hwpt_invalidate, d);
		struct iommu_hwpt_invalidate_selftest *e = (void *)(a.b + 256);
		int i;

		d->hwpt_id = pick_id(t, c, chance(t, 60) ? T_NESTED : T_VIOMMU);
		for (i = 0; i < 8; i++) {
			e[i].flags = pick_flags(t, IOMMU_TEST_INVALIDATE_FLAG_ALL);
			e[i].iotlb_id = below(t, MOCK_NESTED_DOMAIN_IOTLB_NUM + 1);
		}
		d->data_type = chance(t, 85) ? IOMMU_HWPT_INVALIDATE_DATA_SELFTEST :
			       rnd(t);
		d->entry_len = chance(t, 85) ? sizeof(*e) : below(t, 32);
		d->entry_num = chance(t, 85) ? below(t, 9) : rnd(t);
		d->data_uptr = chance(t, 85) ? (uintptr_t)e : pick_uptr(t, NULL);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), 256);
		snprintf(c->desc, sizeof(c->desc),
			 "invalidate hwpt=%u type=%#x len=%u num=%u sz=%u",
			 d->hwpt_id, d->data_type, d->entry_len, d->entry_num,
			 d->size);
		err = do_ioctl(ctx.fd, IOMMU_HWPT_INVALIDATE, &a, sizeof(*d),
			       &where, t);
		break;
	}
	case OP_FAULT_ALLOC: {
		FILL(struct iommu_fault_alloc, d);
		d->flags = pick_flags(t, 0);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc), "fault_alloc flags=%#x sz=%u",
			 d->flags, d->size);
		err = do_ioctl(ctx.fd, IOMMU_FAULT_QUEUE_ALLOC, &a, sizeof(*d),
			       &where, t);
		if (!err) {
			obj_add(T_FAULT, d->out_fault_id);
			fd_add(d->out_fault_fd, FD_FAULT);
		}
		break;
	}
	case OP_VIOMMU_ALLOC: {
		FILL(struct iommu_viommu_alloc, d);
		struct iommu_viommu_selftest *data = (void *)(a.b + 256);

		d->flags = pick_flags(t, 0);
		d->type = chance(t, 90) ? IOMMU_VIOMMU_TYPE_SELFTEST :
			  below(t, 4);
		d->dev_id = pick_id(t, c, T_IDEV);
		d->hwpt_id = pick_id(t, c, T_HWPT);
		data->in_data = rnd(t);
		d->data_len = chance(t, 70) ? 0 :
			      chance(t, 80) ? sizeof(*data) : below(t, 64);
		d->data_uptr = d->data_len && chance(t, 90) ? (uintptr_t)data :
			       pick_uptr(t, NULL);
		d->size = pick_size(t, a.b, sizeof(*d), 24, 256);
		snprintf(c->desc, sizeof(c->desc),
			 "viommu_alloc type=%#x dev=%u hwpt=%u len=%u sz=%u",
			 d->type, d->dev_id, d->hwpt_id, d->data_len, d->size);
		err = do_ioctl(ctx.fd, IOMMU_VIOMMU_ALLOC, &a, sizeof(*d), &where, t);
		if (!err)
			obj_add(T_VIOMMU, d->out_viommu_id);
		break;
	}
	case OP_VDEVICE_ALLOC: {
		FILL(struct iommu_vdevice_alloc, d);
		d->viommu_id = pick_id(t, c, T_VIOMMU);
		d->dev_id = pick_id(t, c, T_IDEV);
		d->virt_id = chance(t, 80) ? below(t, 4) : rnd(t);
		d->size = pick_size(t, a.b, sizeof(*d), sizeof(*d), sizeof(a));
		snprintf(c->desc, sizeof(c->desc),
			 "vdevice_alloc viommu=%u dev=%u virt=%#llx sz=%u",
			 d->viommu_id, d->dev_id, (unsigned long long)d->virt_id,
			 d->size);
		err = do_ioctl(ctx.fd, IOMMU_VDEVICE_ALLOC, &a, sizeof(*d),
			       &where, t);
		if (!err)
			obj_add(T_VDEVICE, d->out_vdevice_id);
		break;
	}
	case OP_BAD_NR: {
		FILL(struct iommu_destroy, d);
		/* A number past the table, or a command with the wrong type */
		unsigned long nr = chance(t, 50) ?
			_IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 0x30 + below(t, 16)) :
			_IOW(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC, uint32_t);

		d->size = sizeof(*d);
		snprintf(c->desc, sizeof(c->desc), "ioctl nr=%#lx", nr);
		err = ioctl(ctx.fd, nr, d) ? errno : 0;
		break;
	}
	default:
		break;
	}
	return err;
}

static int test_cmd(struct thread *t, struct call *c, struct argbuf *ap);

static int call_test(struct thread *t, struct call *c)
{
	struct argbuf a;
	int err;

	pthread_mutex_lock(&ctx.lock);
	ctx.ncalls++;
	pthread_mutex_unlock(&ctx.lock);

	memset(&a, 0, sizeof(a));
	pthread_rwlock_rdlock(&ctx.fd_lock);
	err = test_cmd(t, c, &a);
	pthread_rwlock_unlock(&ctx.fd_lock);
	return err;
}

static int test_cmd(struct thread *t, struct call *c, struct argbuf *ap)
{
	struct argbuf a = *ap;
	struct iommu_test_cmd *d = (void *)a.b;
	void *where;
	int err, fd;
	uint64_t len;

	switch (c->op) {
	case OP_T_MOCK_DOMAIN:
		d->op = IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS;
		d->id = pick_id(t, c, chance(t, 70) ? T_IOAS : T_HWPT);
		d->mock_domain_flags.dev_flags =
			pick_flags(t, MOCK_FLAGS_DEVICE_NO_DIRTY |
				   MOCK_FLAGS_DEVICE_HUGE_IOVA |
				   MOCK_FLAGS_DEVICE_PASID |
				   MOCK_FLAGS_DEVICE_RESV);
		snprintf(c->desc, sizeof(c->desc), "mock_domain pt=%u flags=%#x",
			 d->id, d->mock_domain_flags.dev_flags);
		break;
	case OP_T_DOMAIN_REPLACE:
		d->op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE;
		d->id = pick_id(t, c, T_STDEV);
		d->mock_domain_replace.pt_id =
			pick_id(t, c, chance(t, 50) ? T_IOAS : T_HWPT);
		snprintf(c->desc, sizeof(c->desc), "domain_replace stdev=%u pt=%u",
			 d->id, d->mock_domain_replace.pt_id);
		break;
	case OP_T_ADD_RESERVED:
		d->op = IOMMU_TEST_OP_ADD_RESERVED;
		d->id = pick_id(t, c, T_IOAS);
		d->add_reserved.start = pick_iova(t);
		d->add_reserved.length = pick_len(t);
		snprintf(c->desc, sizeof(c->desc),
			 "add_reserved ioas=%u start=%#llx len=%#llx", d->id,
			 (unsigned long long)d->add_reserved.start,
			 (unsigned long long)d->add_reserved.length);
		break;
	case OP_T_CREATE_ACCESS:
		d->op = IOMMU_TEST_OP_CREATE_ACCESS;
		d->id = pick_id(t, c, T_IOAS);
		d->create_access.flags =
			pick_flags(t, MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES);
		snprintf(c->desc, sizeof(c->desc), "create_access ioas=%u flags=%#x",
			 d->id, d->create_access.flags);
		break;
	case OP_T_ACCESS_PAGES:
	case OP_T_ACCESS_RW:
		fd = fd_pick(t, FD_ACCESS, 0);
		d->id = fd >= 0 && chance(t, 95) ? fd : rnd(t) % 64;
		len = pick_len(t);
		if (c->op == OP_T_ACCESS_PAGES) {
			d->op = IOMMU_TEST_OP_ACCESS_PAGES;
			d->access_pages.flags = pick_flags(t, MOCK_FLAGS_ACCESS_WRITE);
			d->access_pages.iova = pick_iova(t);
			d->access_pages.uptr = pick_uptr(t, &len);
			d->access_pages.length = len;
		} else {
			d->op = IOMMU_TEST_OP_ACCESS_RW;
			d->access_rw.flags = pick_flags(t, MOCK_ACCESS_RW_WRITE |
							MOCK_ACCESS_RW_SLOW_PATH);
			d->access_rw.iova = pick_iova(t) + below(t, 64);
			d->access_rw.uptr = pick_uptr(t, &len);
			d->access_rw.length = chance(t, 80) ? below(t, 2 * PSZ) : len;
		}
		if (c->op == OP_T_ACCESS_PAGES)
			snprintf(c->desc, sizeof(c->desc), "access_pages access_fd=%u "
				 "flags=%#x iova=%#llx uptr=%#llx len=%#llx", d->id,
				 d->access_pages.flags,
				 (unsigned long long)d->access_pages.iova,
				 (unsigned long long)d->access_pages.uptr,
				 (unsigned long long)d->access_pages.length);
		else
			snprintf(c->desc, sizeof(c->desc), "access_rw access_fd=%u "
				 "flags=%#x iova=%#llx uptr=%#llx len=%#llx", d->id,
				 d->access_rw.flags,
				 (unsigned long long)d->access_rw.iova,
				 (unsigned long long)d->access_rw.uptr,
				 (unsigned long long)d->access_rw.length);
		break;
	case OP_T_DESTROY_ACCESS_PAGES: {
		uint32_t ap = 0;

		pthread_mutex_lock(&ctx.lock);
		if (ctx.nr_access_pages)
			ap = ctx.access_pages[below(t, ctx.nr_access_pages)];
		pthread_mutex_unlock(&ctx.lock);
		d->op = IOMMU_TEST_OP_DESTROY_ACCESS_PAGES;
		d->id = ap >> 16;
		d->destroy_access_pages.access_pages_id =
			chance(t, 90) ? (ap & 0xffff) : rnd(t);
		snprintf(c->desc, sizeof(c->desc),
			 "destroy_access_pages access_fd=%u id=%u", d->id,
			 d->destroy_access_pages.access_pages_id);
		break;
	}
	case OP_T_ACCESS_REPLACE_IOAS:
		fd = fd_pick(t, FD_ACCESS, 0);
		d->op = IOMMU_TEST_OP_ACCESS_REPLACE_IOAS;
		d->id = fd >= 0 ? fd : 1000;
		d->access_replace_ioas.ioas_id = pick_id(t, c, T_IOAS);
		snprintf(c->desc, sizeof(c->desc),
			 "access_replace_ioas access_fd=%u ioas=%u", d->id,
			 d->access_replace_ioas.ioas_id);
		break;
	case OP_T_PASID_ATTACH:
	case OP_T_PASID_REPLACE:
		d->op = c->op == OP_T_PASID_ATTACH ? IOMMU_TEST_OP_PASID_ATTACH :
						     IOMMU_TEST_OP_PASID_REPLACE;
		d->id = pick_id(t, c, T_STDEV);
		d->pasid_attach.pasid = pick_pasid(t);
		d->pasid_attach.pt_id = pick_id(t, c, chance(t, 40) ? T_IOAS :
						chance(t, 60) ? T_HWPT : T_NESTED);
		snprintf(c->desc, sizeof(c->desc), "pasid_%s stdev=%u pasid=%u pt=%u",
			 c->op == OP_T_PASID_ATTACH ? "attach" : "replace", d->id,
			 d->pasid_attach.pasid, d->pasid_attach.pt_id);
		break;
	case OP_T_PASID_DETACH:
		d->op = IOMMU_TEST_OP_PASID_DETACH;
		d->id = pick_id(t, c, T_STDEV);
		d->pasid_detach.pasid = pick_pasid(t);
		snprintf(c->desc, sizeof(c->desc), "pasid_detach stdev=%u pasid=%u",
			 d->id, d->pasid_detach.pasid);
		break;
	case OP_T_PASID_CHECK:
		d->op = IOMMU_TEST_OP_PASID_CHECK_HWPT;
		d->id = pick_id(t, c, T_STDEV);
		d->pasid_check.pasid = pick_pasid(t);
		d->pasid_check.hwpt_id = chance(t, 20) ? 0 : pick_id(t, c, T_HWPT);
		snprintf(c->desc, sizeof(c->desc), "pasid_check stdev=%u pasid=%u hwpt=%u",
			 d->id, d->pasid_check.pasid, d->pasid_check.hwpt_id);
		break;
	case OP_T_TRIGGER_IOPF:
		d->op = IOMMU_TEST_OP_TRIGGER_IOPF;
		d->trigger_iopf.dev_id = pick_id(t, c, T_IDEV);
		d->trigger_iopf.pasid = chance(t, 50) ? 0 : pick_pasid(t);
		d->trigger_iopf.grpid = below(t, 4);
		d->trigger_iopf.perm = pick_flags(t, IOMMU_PGFAULT_PERM_READ |
						  IOMMU_PGFAULT_PERM_WRITE);
		d->trigger_iopf.addr = pick_iova(t);
		snprintf(c->desc, sizeof(c->desc), "trigger_iopf dev=%u pasid=%u",
			 d->trigger_iopf.dev_id, d->trigger_iopf.pasid);
		break;
	default:
		return 0;
	}
	d->size = chance(t, 95) ? sizeof(*d) : pick_size(t, a.b, sizeof(*d),
							offsetof(struct iommu_test_cmd, last) + 4,
							sizeof(a));
	err = do_ioctl(ctx.fd, IOMMU_TEST_CMD, &a, sizeof(*d), &where, t);
	if (err)
		return err;

	switch (c->op) {
	case OP_T_MOCK_DOMAIN:
		obj_add(T_STDEV, d->mock_domain_flags.out_stdev_id);
		obj_add(T_HWPT, d->mock_domain_flags.out_hwpt_id);
		obj_add(T_IDEV, d->mock_domain_flags.out_idev_id);
		break;
	case OP_T_DOMAIN_REPLACE:
		obj_add(T_HWPT, d->mock_domain_replace.pt_id);
		break;
	case OP_T_PASID_ATTACH:
	case OP_T_PASID_REPLACE:
		obj_add(T_HWPT, d->pasid_attach.pt_id);
		break;
	case OP_T_CREATE_ACCESS:
		fd_add(d->create_access.out_access_fd, FD_ACCESS);
		break;
	case OP_T_ACCESS_PAGES:
		pthread_mutex_lock(&ctx.lock);
		if (ctx.nr_access_pages < MAX_OBJS)
			ctx.access_pages[ctx.nr_access_pages++] =
				d->id << 16 |
				(d->access_pages.out_access_pages_id & 0xffff);
		pthread_mutex_unlock(&ctx.lock);
		break;
	default:
		break;
	}
	return 0;
}

static int fd_call(struct thread *t, struct call *c);

static int call_fd(struct thread *t, struct call *c)
{
	int err, fd;

	if (c->op == OP_CLOSE_FD) {
		pthread_rwlock_wrlock(&ctx.fd_lock);
		fd = fd_pick(t, chance(t, 50) ? FD_ACCESS : FD_FAULT, 1);
		err = fd < 0 ? 0 : close(fd) ? errno : 0;
		pthread_rwlock_unlock(&ctx.fd_lock);
		if (fd >= 0)
			snprintf(c->desc, sizeof(c->desc), "close fd=%d", fd);
		return err;
	}
	pthread_rwlock_rdlock(&ctx.fd_lock);
	err = fd_call(t, c);
	pthread_rwlock_unlock(&ctx.fd_lock);
	return err;
}

static int fd_call(struct thread *t, struct call *c)
{
	struct iommu_hwpt_pgfault f[4];
	struct iommu_hwpt_page_response r[4];
	size_t n;
	int fd;

	switch (c->op) {
	case OP_FAULT_READ:
		fd = fd_pick(t, FD_FAULT, 0);
		if (fd < 0)
			return 0;
		n = chance(t, 80) ? sizeof(f[0]) * below(t, 5) : below(t, sizeof(f));
		snprintf(c->desc, sizeof(c->desc), "read fault_fd=%d n=%zu", fd, n);
		if (read(fd, chance(t, 95) ? (void *)f : (void *)guard + PSZ - 8,
			 n) < 0)
			return errno;
		/* Answer what was read, sometimes */
		if (chance(t, 50))
			for (size_t i = 0; i < n / sizeof(f[0]); i++) {
				r[0].cookie = f[i].cookie;
				r[0].code = IOMMUFD_PAGE_RESP_SUCCESS;
				if (write(fd, r, sizeof(r[0])) < 0 &&
				    errno != EINVAL && errno != ENOENT)
					return errno;
			}
		return 0;
	case OP_FAULT_WRITE:
		fd = fd_pick(t, FD_FAULT, 0);
		if (fd < 0)
			return 0;
		r[0].cookie = below(t, 8);
		r[0].code = below(t, 3);
		r[1] = r[0];
		n = chance(t, 80) ? sizeof(r[0]) * below(t, 3) : below(t, sizeof(r));
		snprintf(c->desc, sizeof(c->desc), "write fault_fd=%d n=%zu cookie=%u",
			 fd, n, r[0].cookie);
		return write(fd, r, n) < 0 ? errno : 0;
	default:
		return 0;
	}
}

/* The vfio cdev of the edu device: one per process, shared by its threads */
static int vfio_call(struct thread *t, struct call *c);

static int call_vfio(struct thread *t, struct call *c)
{
	int err;

	if (c->op == OP_VFIO_UNBIND)
		pthread_rwlock_wrlock(&ctx.fd_lock);
	else
		pthread_rwlock_rdlock(&ctx.fd_lock);
	err = vfio_call(t, c);
	pthread_rwlock_unlock(&ctx.fd_lock);
	return err;
}

static int vfio_call(struct thread *t, struct call *c)
{
	int fd, err = 0;

	if (!vfio_path[0])
		return 0;
	pthread_mutex_lock(&ctx.lock);
	ctx.ncalls++;
	fd = ctx.vfio_fd;
	pthread_mutex_unlock(&ctx.lock);

	switch (c->op) {
	case OP_VFIO_BIND: {
		struct vfio_device_bind_iommufd b = {};

		if (fd < 0) {
			fd = open(vfio_path, O_RDWR);
			if (fd < 0)
				return 0;	/* busy elsewhere: not an ioctl */
			pthread_mutex_lock(&ctx.lock);
			if (ctx.vfio_fd < 0) {
				ctx.vfio_fd = fd;
			} else {
				close(fd);
				fd = ctx.vfio_fd;
			}
			pthread_mutex_unlock(&ctx.lock);
		}
		b.argsz = chance(t, 85) ? sizeof(b) : below(t, 2 * sizeof(b));
		b.flags = pick_flags(t, 0);
		b.iommufd = chance(t, 95) ? ctx.fd : below(t, 64);
		snprintf(c->desc, sizeof(c->desc), "vfio_bind argsz=%u flags=%#x",
			 b.argsz, b.flags);
		err = ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &b) ? errno : 0;
		if (!err) {
			ctx.vfio_bound = 1;
			obj_add(T_IDEV, b.out_devid);
		}
		return err;
	}
	case OP_VFIO_ATTACH: {
		struct vfio_device_attach_iommufd_pt at = {};

		if (fd < 0)
			return 0;
		at.argsz = chance(t, 85) ? sizeof(at) : below(t, 2 * sizeof(at));
		at.flags = pick_flags(t, VFIO_DEVICE_ATTACH_PASID);
		at.pt_id = pick_id(t, c, chance(t, 50) ? T_IOAS : T_HWPT);
		at.pasid = pick_pasid(t);
		snprintf(c->desc, sizeof(c->desc),
			 "vfio_attach argsz=%u flags=%#x pt=%u pasid=%u",
			 at.argsz, at.flags, at.pt_id, at.pasid);
		err = ioctl(fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at) ? errno : 0;
		if (!err)
			obj_add(T_HWPT, at.pt_id);
		return err;
	}
	case OP_VFIO_DETACH: {
		struct vfio_device_detach_iommufd_pt dt = {};

		if (fd < 0)
			return 0;
		dt.argsz = chance(t, 85) ? sizeof(dt) : below(t, 2 * sizeof(dt));
		dt.flags = pick_flags(t, VFIO_DEVICE_DETACH_PASID);
		dt.pasid = pick_pasid(t);
		snprintf(c->desc, sizeof(c->desc),
			 "vfio_detach argsz=%u flags=%#x pasid=%u", dt.argsz,
			 dt.flags, dt.pasid);
		return ioctl(fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt) ? errno : 0;
	}
	case OP_VFIO_UNBIND:
		pthread_mutex_lock(&ctx.lock);
		fd = ctx.vfio_fd;
		ctx.vfio_fd = -1;
		ctx.vfio_bound = 0;
		pthread_mutex_unlock(&ctx.lock);
		if (fd < 0)
			return 0;
		snprintf(c->desc, sizeof(c->desc), "vfio_close");
		return close(fd) ? errno : 0;
	default:
		return 0;
	}
}

/* How often each call is made, relative to the others */
static const uint8_t weight[NR_OPS] = {
	[OP_DESTROY] = 6, [OP_IOAS_ALLOC] = 5, [OP_IOAS_ALLOW_IOVAS] = 2,
	[OP_IOAS_COPY] = 3, [OP_IOAS_IOVA_RANGES] = 2, [OP_IOAS_MAP] = 10,
	[OP_IOAS_UNMAP] = 6, [OP_OPTION] = 2, [OP_VFIO_IOAS] = 2,
	[OP_HWPT_ALLOC] = 8, [OP_GET_HW_INFO] = 3, [OP_HWPT_SET_DIRTY] = 2,
	[OP_HWPT_GET_DIRTY] = 2, [OP_HWPT_INVALIDATE] = 4,
	[OP_FAULT_ALLOC] = 2, [OP_VIOMMU_ALLOC] = 5, [OP_VDEVICE_ALLOC] = 4,
	[OP_BAD_NR] = 1, [OP_T_MOCK_DOMAIN] = 6, [OP_T_DOMAIN_REPLACE] = 4,
	[OP_T_ADD_RESERVED] = 1, [OP_T_CREATE_ACCESS] = 2,
	[OP_T_ACCESS_PAGES] = 3, [OP_T_DESTROY_ACCESS_PAGES] = 2,
	[OP_T_ACCESS_RW] = 3, [OP_T_ACCESS_REPLACE_IOAS] = 1,
	[OP_T_PASID_ATTACH] = 5, [OP_T_PASID_REPLACE] = 4,
	[OP_T_PASID_DETACH] = 4, [OP_T_PASID_CHECK] = 2,
	[OP_T_TRIGGER_IOPF] = 2, [OP_FAULT_READ] = 2, [OP_FAULT_WRITE] = 1,
	[OP_CLOSE_FD] = 1, [OP_VFIO_BIND] = 2, [OP_VFIO_ATTACH] = 3,
	[OP_VFIO_DETACH] = 2, [OP_VFIO_UNBIND] = 1,
};

static unsigned int weight_total;

static enum fuzz_op pick_op(struct thread *t)
{
	unsigned int r = below(t, weight_total), i;

	for (i = 0; i < NR_OPS; i++) {
		if (r < weight[i])
			return i;
		r -= weight[i];
	}
	return OP_DESTROY;
}

/*
 * A splat the last calls caused: the harness fails the run for it anyway,
 * but only here are the calls that led to it known.
 */
static void check_kmsg(struct thread *t)
{
	char rec[1024];
	ssize_t n;

	if (kmsg < 0 || pthread_mutex_trylock(&kmsg_lock))
		return;
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = 0;
		if (strstr(rec, "WARNING:") || strstr(rec, "BUG:") ||
		    strstr(rec, "KASAN:") || strstr(rec, "UBSAN:") ||
		    strstr(rec, "lockdep") || strstr(rec, "circular locking")) {
			rec[strcspn(rec, "\n")] = 0;
			fail(t, F_SPLAT, "the kernel logged, during the calls "
			     "below or another process's: %s", strchr(rec, ';') ?
			     strchr(rec, ';') + 1 : rec);
			break;
		}
	}
	pthread_mutex_unlock(&kmsg_lock);
}

static int errno_allowed(enum fuzz_op op, int err)
{
	const int *e;

	for (e = fuzz_errnos[op].err; *e; e++)
		if (*e == err)
			return 1;
	return 0;
}

static void one_call(struct thread *t)
{
	struct call c = { .op = pick_op(t) };
	uint64_t before[MAX_THREADS];
	int err, i, j, beside = 0;

	if (chance(t, 12))
		pthread_rwlock_wrlock(&ctx.solo_lock);
	else
		pthread_rwlock_rdlock(&ctx.solo_lock);
	for (j = 0; j < opt_threads; j++)
		before[j] = __atomic_load_n(&threads[j].busy, __ATOMIC_ACQUIRE);
	__atomic_add_fetch(&t->busy, 1, __ATOMIC_ACQ_REL);
	if (c.op >= OP_VFIO_BIND)
		err = call_vfio(t, &c);
	else if (c.op >= OP_FAULT_READ)
		err = call_fd(t, &c);
	else if (c.op >= OP_T_MOCK_DOMAIN)
		err = call_test(t, &c);
	else
		err = call_iommufd(t, &c);
	__atomic_add_fetch(&t->busy, 1, __ATOMIC_ACQ_REL);
	/* Whether another thread's call ran at the same time as this one */
	for (j = 0; j < opt_threads; j++)
		if (&threads[j] != t &&
		    ((before[j] & 1) || before[j] !=
		     __atomic_load_n(&threads[j].busy, __ATOMIC_ACQUIRE)))
			beside = 1;
	pthread_rwlock_unlock(&ctx.solo_lock);
	if (!c.desc[0])
		return;		/* nothing to call it on */
	t->calls++;
	t->round_calls++;
	__atomic_add_fetch(&sh->op_calls[c.op], 1, __ATOMIC_RELAXED);
	log_call(t, "%s -> %s%s%s", c.desc, err ? strerror(err) : "0",
		 t->outs[0] ? " =>" : "", t->outs);
	t->outs[0] = 0;
	check_kmsg(t);
	/*
	 * The calls just made (this one, or one running beside it) wrote over
	 * the fuzzer's own bookkeeping: a write through a user pointer that
	 * went where no call pointed
	 */
	if (known_damaged() && !__atomic_exchange_n(&damage_seen, 1, __ATOMIC_SEQ_CST)) {
		fail(t, F_DAMAGE, "memory of the fuzzer was overwritten during the "
		     "last calls of its threads (below)");
		pthread_mutex_lock(&sh->print_lock);
		dump_known_damage();
		pthread_mutex_unlock(&sh->print_lock);
	}
	if (err < NR_ERRNOS)
		sh->pairs[c.op][err] = 1;

	if (err && !errno_allowed(c.op, err)) {
		if (err < NR_ERRNOS &&
		    __atomic_exchange_n(&sh->reported[c.op][err], 1,
					__ATOMIC_SEQ_CST))
			return;
		fail(t, F_ERRNO, "%s returned %s (errno %d), which is not documented for it",
		     fuzz_errnos[c.op].name, strerror(err), err);
		return;
	}
	if (err)
		return;
	/*
	 * An object is visible from the moment the kernel makes it, before the
	 * call making it returns (and it goes again if that call then fails):
	 * with another thread's call running beside this one, an ID this
	 * context never handed out may be one of those, so only a call that
	 * ran alone in its process is judged.
	 */
	if (beside || !c.nr_ids)
		return;
	__atomic_add_fetch(&sh->exact_checks, 1, __ATOMIC_RELAXED);
	for (i = 0; i < c.nr_ids; i++) {
		if (!c.ids[i] || is_known(c.ids[i]))
			continue;
		fail(t, F_ISOLATION, "%s succeeded with ID %u, which this "
		     "context's iommufd never handed out",
		     fuzz_errnos[c.op].name, c.ids[i]);
		pthread_mutex_lock(&sh->print_lock);
		dump_id_history(c.ids[i]);
		dump_known_damage();
		pthread_mutex_unlock(&sh->print_lock);
	}
}

static int expired(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t_end.tv_sec ||
	       (now.tv_sec == t_end.tv_sec && now.tv_nsec >= t_end.tv_nsec);
}

static long vm_pin(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void ctx_open(void)
{
	ctx.fd = open("/dev/iommu", O_RDWR);
	if (ctx.fd < 0) {
		perror("open /dev/iommu");
		exit(2);
	}
	memset(ctx.nr, 0, sizeof(ctx.nr));
	ctx.nr_fds = 0;
	ctx.nr_access_pages = 0;
	ctx.ncalls = 0;
	ctx.max_known = 0;
	memset(known, 0, MAX_KNOWN);
	memset(known_shadow, 0, MAX_KNOWN / 8);
	ctx.vfio_fd = -1;
	ctx.vfio_bound = 0;
}

/*
 * Close everything of the round, then nothing may stay pinned: no page of
 * the buffers holds a pin, and the process's VmPin is 0.
 */
static void ctx_close_and_check(struct thread *t)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MD_CHECK_REFS,
	};
	int i, fd;
	long pin;

	if (ctx.vfio_fd >= 0)
		close(ctx.vfio_fd);
	for (i = 0; i < ctx.nr_fds; i++)
		close(ctx.fds[i].fd);
	close(ctx.fd);
	log_call(t, "round end: closed everything");

	fd = open("/dev/iommu", O_RDWR);
	for (i = 0; fd >= 0 && i < NR_BUFS; i++) {
		cmd.check_refs.uptr = (uintptr_t)bufs[i];
		cmd.check_refs.length = BUF_PAGES * PSZ;
		cmd.check_refs.refs = 0;
		if (ioctl(fd, IOMMU_TEST_CMD, &cmd))
			fail(t, F_PINNED, "buffer %d is still pinned after every file "
			     "was closed (MD_CHECK_REFS: %s)", i, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	pin = vm_pin();
	if (pin)
		fail(t, F_PINNED, "VmPin is %ld kB after every file was closed", pin);
}

static void *map(size_t len, int prot);

static void *thread_main(void *arg)
{
	struct thread *t = arg;

	guard = map(PSZ, PROT_READ | PROT_WRITE);
	self = t;
	for (;;) {
		pthread_barrier_wait(&round_start);
		if (stopping)
			break;
		t->round_calls = 0;
		while (!stopping && t->round_calls < opt_round &&
		       (!opt_max || t->calls < opt_max)) {
			one_call(t);
			if (!(t->calls & 63) && expired())
				stopping = 1;
		}
		if (opt_max && t->calls >= opt_max)
			stopping = 1;
		pthread_barrier_wait(&round_end);
	}
	return NULL;
}

/* Without CAP_IPC_LOCK pins are charged to RLIMIT_MEMLOCK: reach ENOMEM */
static void drop_ipc_lock(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	struct rlimit rl = { 8 * PSZ, 8 * PSZ };

	if (syscall(SYS_capget, &h, d))
		return;
	d[0].effective &= ~(1U << CAP_IPC_LOCK);
	d[0].permitted &= ~(1U << CAP_IPC_LOCK);
	d[0].inheritable &= ~(1U << CAP_IPC_LOCK);
	syscall(SYS_capset, &h, d);
	setrlimit(RLIMIT_MEMLOCK, &rl);
}

/*
 * Memory for the calls, fenced by a PROT_NONE page on each side: the kernel
 * writes as much as a call asks (IOMMU_GET_HW_INFO zero-fills data_len
 * bytes), and must meet a fault, not the fuzzer's own memory.
 *
 * All of it lies at the start of one arena, the rest of which (2^33 bytes)
 * stays PROT_NONE. IOMMU_IOAS_MAP pins nothing while no domain needs the
 * pages, so a mapping that runs from a buffer for up to 2^32 bytes succeeds;
 * an access then pins and writes the pages at any of its IOVAs. Those must
 * be fences too, never the fuzzer's bookkeeping, or an access write of zeros
 * would make it forget the IDs it was handed (as it once did, until then
 * taken for an object of another context).
 */
#define ARENA_LEN	(1UL << 20)	/* buffers, fences and guards */
#define ARENA_MARGIN	(1UL << 33)
static uint8_t *arena;
static size_t arena_used;
static pthread_mutex_t arena_lock = PTHREAD_MUTEX_INITIALIZER;

static void *map(size_t len, int prot)
{
	uint8_t *p;

	pthread_mutex_lock(&arena_lock);
	if (!arena) {
		arena = mmap(NULL, ARENA_LEN + ARENA_MARGIN, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (arena == MAP_FAILED) {
			perror("mmap");
			exit(2);
		}
	}
	/* A fence page, then @len; the next one's fence follows */
	p = arena + arena_used;
	arena_used += PSZ + len;
	pthread_mutex_unlock(&arena_lock);
	if (arena_used + PSZ > ARENA_LEN || mprotect(p + PSZ, len, prot)) {
		fprintf(stderr, "fuzz: arena: %s\n", arena_used + PSZ > ARENA_LEN ?
			"full" : strerror(errno));
		exit(2);
	}
	madvise(p + PSZ, len, MADV_NOHUGEPAGE);
	return p + PSZ;
}

static int proc_main(int idx)
{
	struct thread *th = calloc(opt_threads, sizeof(*th));
	pthread_rwlockattr_t rwa;
	int i;

	threads = th;
	/* Not in the arena: no call is given an address in it */
	known = mmap(NULL, MAX_KNOWN, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (known == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	known_shadow = calloc(MAX_KNOWN / 8, 1);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);

	proc_idx = idx;
	idx += opt_pbase;
	for (i = 0; i < NR_OPS; i++)
		weight_total += weight[i];
	if (idx & 1)
		drop_ipc_lock();
	for (i = 0; i < NR_BUFS; i++) {
		bufs[i] = map(BUF_PAGES * PSZ, PROT_READ | PROT_WRITE);
		memset(bufs[i], i + 1, BUF_PAGES * PSZ);
	}
	rdonly = map(BUF_PAGES * PSZ, PROT_READ);
	pthread_mutex_init(&ctx.lock, NULL);
	pthread_rwlock_init(&ctx.fd_lock, NULL);
	pthread_rwlockattr_init(&rwa);
	pthread_rwlockattr_setkind_np(&rwa,
				      PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&ctx.solo_lock, &rwa);
	pthread_barrier_init(&round_start, NULL, opt_threads + 1);
	pthread_barrier_init(&round_end, NULL, opt_threads + 1);

	for (i = 0; i < opt_threads; i++) {
		th[i].proc = idx;
		th[i].idx = i + opt_tbase;
		th[i].rng = splitmix(opt_seed ^ ((uint64_t)idx << 40) ^
				     ((uint64_t)th[i].idx << 20)) | 1;
		pthread_create(&th[i].tid, NULL, thread_main, &th[i]);
	}
	for (;;) {
		ctx_open();
		pthread_barrier_wait(&round_start);
		pthread_barrier_wait(&round_end);
		ctx_close_and_check(&th[0]);
		sh->rounds[proc_idx]++;
		sh->calls[proc_idx] = 0;
		for (i = 0; i < opt_threads; i++)
			sh->calls[proc_idx] += th[i].calls;
		if (stopping || expired())
			break;
	}
	stopping = 1;
	pthread_barrier_wait(&round_start);
	for (i = 0; i < opt_threads; i++)
		pthread_join(th[i].tid, NULL);
	if (opt_verbose)
		for (i = 0; i < opt_threads; i++)
			dump_log(&th[i]);
	return 0;
}

int main(int argc, char **argv)
{
	pthread_mutexattr_t ma;
	uint64_t calls = 0;
	int i, c, status, pairs = 0, failed;
	struct timespec t0, t1;
	double secs;
	pid_t pid[MAX_PROCS];

	/* A new seed each run, even on a guest without a clock */
	if (getrandom(&opt_seed, sizeof(opt_seed), GRND_NONBLOCK) !=
	    sizeof(opt_seed))
		opt_seed = time(NULL) ^ getpid();
	opt_seed &= (1ULL << 48) - 1;	/* short enough to retype */
	while ((c = getopt(argc, argv, "s:t:p:j:r:n:P:J:v")) != -1) {
		switch (c) {
		case 's': opt_seed = strtoull(optarg, NULL, 0); break;
		case 't': opt_secs = atoi(optarg); break;
		case 'p': opt_procs = atoi(optarg); break;
		case 'j': opt_threads = atoi(optarg); break;
		case 'r': opt_round = strtoull(optarg, NULL, 0); break;
		case 'n': opt_max = strtoull(optarg, NULL, 0); break;
		case 'P': opt_pbase = atoi(optarg); break;
		case 'J': opt_tbase = atoi(optarg); break;
		case 'v': opt_verbose = 1; break;
		default:
			fprintf(stderr, "usage: %s [-s seed] [-t secs] [-p procs] "
				"[-j threads] [-r round] [-n maxcalls] [-P proc] [-J thread] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (opt_procs < 1 || opt_procs > MAX_PROCS || opt_threads < 1 ||
	    opt_threads > MAX_THREADS) {
		fprintf(stderr, "fuzz: 1..%d processes, 1..%d threads\n",
			MAX_PROCS, MAX_THREADS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	printf("TAP version 13\n1..6\n# fuzz: seed %" PRIu64
	       " (-s to replay), %d s, %d processes x %d threads\n",
	       opt_seed, opt_secs, opt_procs, opt_threads);
	if (!edu_find_cdev(vfio_path, sizeof(vfio_path)))
		printf("# vfio cdev: %s\n", vfio_path);
	else
		vfio_path[0] = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->print_lock, &ma);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	t_end = t0;
	t_end.tv_sec += opt_secs;
	for (i = 0; i < opt_procs; i++) {
		pid[i] = fork();
		if (!pid[i])
			_exit(proc_main(i));
	}
	failed = 0;
	for (i = 0; i < opt_procs; i++) {
		if (waitpid(pid[i], &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "# process %d died (status %#x)\n", i,
				status);
			failed++;
		}
		calls += sh->calls[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	printf("# %-30s %9s  errnos reached (of those documented)\n", "call",
	       "calls");
	for (c = 0; c < NR_OPS; c++) {
		int reached = 0, documented = 0;
		const int *e;

		for (e = fuzz_errnos[c].err; *e; e++)
			documented++;
		printf("# %-30s %9" PRIu64 " ", fuzz_errnos[c].name,
		       sh->op_calls[c]);
		for (i = 0; i < NR_ERRNOS; i++) {
			if (!sh->pairs[c][i])
				continue;
			pairs++;
			reached += i != 0;
			printf(" %s", !i ? "ok" : strerrorname_np(i) ?: "?");
		}
		printf("  (%d of %d)\n", reached, documented);
	}
	printf("%s 1 every errno documented\n",
	       sh->failed[F_ERRNO] ? "not ok" : "ok");
	printf("%s 2 no object of another context reached # %" PRIu64
	       " successes judged\n", sh->failed[F_ISOLATION] ? "not ok" : "ok",
	       sh->exact_checks);
	printf("%s 3 nothing pinned after a round\n",
	       sh->failed[F_PINNED] ? "not ok" : "ok");
	printf("%s 4 no splat in the kernel log\n",
	       sh->failed[F_SPLAT] ? "not ok" : "ok");
	printf("%s 5 every process finished # %" PRIu64 " rounds in process 0, "
	       "%.0f calls/s\n", failed || !calls ? "not ok" : "ok",
	       sh->rounds[0], calls / secs);
	printf("%s 6 the fuzzer's own memory kept what it wrote\n",
	       sh->failed[F_DAMAGE] ? "not ok" : "ok");
	printf("fuzz: %" PRIu64 " calls, %d distinct (ioctl, errno) pairs, "
	       "seed %" PRIu64 "\n", calls, pairs, opt_seed);
	for (i = 0; i < NR_FAIL; i++)
		failed += sh->failed[i];
	return failed || !calls;
}
