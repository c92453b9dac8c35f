// SPDX-License-Identifier: GPL-2.0
/*
 * 'make bench' guest program: what an invalidation through a vIOMMU costs, on
 * the iommufd mock driver (drivers/iommu/iommufd/selftest.c). Prints lines
 * starting with "bench: ":
 *  - the cost of an entry of IOMMU_HWPT_INVALIDATE on a vIOMMU holding 1, 100
 *    and 10000 vDEVICEs, the entries naming vDEVICEs pseudo-randomly: the
 *    lookup of the virtual ID must not grow with the number of vDEVICEs;
 *  - entries per second with 1 and with 256 entries per call.
 * Each figure is the best of 9 rounds of about 0.2 s. Exits non-zero if an
 * ioctl fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/iommufd.h>

#include "iommufd_test.h"

/* The vIOMMU uAPI and its mock; a tree without them builds a stub that fails */
#if defined(IOMMU_VIOMMU_ALLOC) && defined(IOMMU_TEST_DEV_CACHE_DEFAULT)

#define ENTRIES		256		/* per call, in the lookup benchmark */
#define POOL		(16 * ENTRIES)	/* entries cycled through */
#define ROUNDS		9
#define ROUND_SEC	0.2

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct bench_ctx {
	int fd;
	__u32 ioas_id;
	__u32 parent_id;
	__u32 viommu_id;
};

static struct iommu_viommu_invalidate_selftest pool[POOL];

static void fail(const char *what)
{
	printf("bench: viommu_bench: %s failed: errno %d (%s)\n", what, errno,
	       strerror(errno));
	exit(1);
}

static void xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg))
		fail(what);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bind one more mock device, attached to @pt_id; returns its dev_id */
static __u32 mock_device(struct bench_ctx *ctx, __u32 pt_id)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
		.id = pt_id,
	};

	xioctl(ctx->fd, IOMMU_TEST_CMD, &cmd, "IOMMU_TEST_OP_MOCK_DOMAIN");
	return cmd.mock_domain.out_idev_id;
}

static void vdevice(struct bench_ctx *ctx, __u32 dev_id, __u64 virt_id)
{
	struct iommu_vdevice_alloc vdev = {
		.size = sizeof(vdev),
		.viommu_id = ctx->viommu_id,
		.dev_id = dev_id,
		.virt_id = virt_id,
	};

	xioctl(ctx->fd, IOMMU_VDEVICE_ALLOC, &vdev, "IOMMU_VDEVICE_ALLOC");
}

/*
 * A fresh iommufd with @ndev mock devices, a vIOMMU and a vDEVICE with
 * virt_id i for device i. The first device is attached to the IOAS (the nest
 * parent needs a device to be allocated for), the others to the nest parent.
 */
static void setup(struct bench_ctx *ctx, unsigned int ndev)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
	};
	struct iommu_viommu_alloc viommu = {
		.size = sizeof(viommu),
		.type = IOMMU_VIOMMU_TYPE_SELFTEST,
	};
	__u32 dev0;
	unsigned int i;

	ctx->fd = open("/dev/iommu", O_RDWR);
	if (ctx->fd < 0)
		fail("open /dev/iommu");
	xioctl(ctx->fd, IOMMU_IOAS_ALLOC, &ioas, "IOMMU_IOAS_ALLOC");
	ctx->ioas_id = ioas.out_ioas_id;

	dev0 = mock_device(ctx, ctx->ioas_id);
	parent.dev_id = dev0;
	parent.pt_id = ctx->ioas_id;
	xioctl(ctx->fd, IOMMU_HWPT_ALLOC, &parent, "IOMMU_HWPT_ALLOC nest parent");
	ctx->parent_id = parent.out_hwpt_id;

	viommu.dev_id = dev0;
	viommu.hwpt_id = ctx->parent_id;
	xioctl(ctx->fd, IOMMU_VIOMMU_ALLOC, &viommu, "IOMMU_VIOMMU_ALLOC");
	ctx->viommu_id = viommu.out_viommu_id;

	vdevice(ctx, dev0, 0);
	for (i = 1; i < ndev; i++)
		vdevice(ctx, mock_device(ctx, ctx->parent_id), i);
}

/* Closing the iommufd destroys every object, the mock devices included */
static void teardown(struct bench_ctx *ctx)
{
	if (close(ctx->fd))
		fail("close /dev/iommu");
	ctx->fd = -1;
}

/*
 * Fill the pool with requests for cache 0 of pseudo-random vdev_ids < @ndev,
 * or, if @hot, all for the last one (the deepest in the vIOMMU's xarray)
 */
static void fill_pool(unsigned int ndev, int hot)
{
	__u32 x = 2463534242u;	/* xorshift32 */
	unsigned int i;

	for (i = 0; i < POOL; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		pool[i].flags = 0;
		pool[i].vdev_id = hot ? ndev - 1 : x % ndev;
		pool[i].cache_id = 0;
	}
}

/* @calls invalidations of @per_call entries each; returns the seconds taken */
static double run(struct bench_ctx *ctx, unsigned int per_call,
		  unsigned long calls)
{
	struct iommu_hwpt_invalidate inv = {
		.size = sizeof(inv),
		.hwpt_id = ctx->viommu_id,
		.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST,
		.entry_len = sizeof(pool[0]),
	};
	unsigned int off = 0;
	unsigned long i;
	double t0 = now();

	for (i = 0; i < calls; i++) {
		inv.data_uptr = (uintptr_t)&pool[off];
		inv.entry_num = per_call;
		if (ioctl(ctx->fd, IOMMU_HWPT_INVALIDATE, &inv))
			fail("IOMMU_HWPT_INVALIDATE");
		if (inv.entry_num != per_call) {
			printf("bench: viommu_bench: IOMMU_HWPT_INVALIDATE handled %u of %u entries\n",
			       inv.entry_num, per_call);
			exit(1);
		}
		off = (off + per_call) % POOL;
	}
	return now() - t0;
}

/* Calls of @per_call entries that take about ROUND_SEC; also warms caches */
static unsigned long calibrate(struct bench_ctx *ctx, unsigned int per_call)
{
	unsigned long calls = 1;
	double t;

	while ((t = run(ctx, per_call, calls)) < ROUND_SEC / 10)
		calls *= 2;
	calls = calls * (ROUND_SEC / t);
	return calls ? calls : 1;
}

/*
 * Nanoseconds per entry with @per_call[i] entries per call, for @n sizes
 * measured in turn within each round, so that a slow spell of the host
 * slows all of them rather than one; the best of ROUNDS rounds is kept.
 */
static void measure_n(struct bench_ctx *ctx, const unsigned int *per_call,
		      double *ns, unsigned int n)
{
	unsigned long calls[2];
	double t, best[2] = { 0, 0 };
	unsigned int i;
	int r;

	for (i = 0; i < n; i++)
		calls[i] = calibrate(ctx, per_call[i]);
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < n; i++) {
			t = run(ctx, per_call[i], calls[i]);
			if (!r || t < best[i])
				best[i] = t;
		}
	}
	for (i = 0; i < n; i++)
		ns[i] = best[i] * 1e9 / ((double)calls[i] * per_call[i]);
}

static double measure(struct bench_ctx *ctx, unsigned int per_call)
{
	double ns;

	measure_n(ctx, &per_call, &ns, 1);
	return ns;
}

static void bench_lookup(void)
{
	static const unsigned int sizes[] = { 1, 100, 10000 };
	double ns, hot, base = 0, hot_base = 0, t0, setup_s, teardown_s;
	struct bench_ctx ctx;
	unsigned int i;

	printf("bench: vIOMMU invalidation (mock): %d entries/call; best of %d x %.1f s\n",
	       ENTRIES, ROUNDS, ROUND_SEC);
	printf("bench: 'one' = every entry names the same vDEVICE (the lookup itself), 'random' = pseudo-random vDEVICEs (adds each device's memory to the working set)\n");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		t0 = now();
		setup(&ctx, sizes[i]);
		setup_s = now() - t0;
		fill_pool(sizes[i], 1);
		hot = measure(&ctx, ENTRIES);
		fill_pool(sizes[i], 0);
		ns = measure(&ctx, ENTRIES);
		if (!i) {
			base = ns;
			hot_base = hot;
		}
		t0 = now();
		teardown(&ctx);
		teardown_s = now() - t0;
		printf("bench: vdev_id lookup among %5u vDEVICEs: one %7.1f ns/entry (x%.2f of N=1), random %7.1f ns/entry (x%.2f); setup %.1f s, teardown %.1f s\n",
		       sizes[i], hot, hot / hot_base, ns, ns / base, setup_s,
		       teardown_s);
	}
}

static void bench_batching(void)
{
	static const unsigned int per_call[2] = { 1, ENTRIES };
	struct bench_ctx ctx;
	double ns[2], one, many;

	setup(&ctx, 1);
	fill_pool(1, 1);
	measure_n(&ctx, per_call, ns, 2);
	one = 1e9 / ns[0];
	many = 1e9 / ns[1];
	teardown(&ctx);
	printf("bench: batching, 1 vDEVICE: %.0f entries/s at 1 entry/call, %.0f at %d entries/call, x%.1f (target >= 10x)\n",
	       one, many, ENTRIES, many / one);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	bench_lookup();
	bench_batching();
	return 0;
}
#else
int main(void)
{
	printf("bench: viommu_bench: this kernel has no vIOMMU uAPI\n");
	return 1;
}
#endif
