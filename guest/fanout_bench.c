// SPDX-License-Identifier: GPL-2.0
/*
 * 'make bench' guest program (arm64, nesting SMMUv3 with a CANWBS root
 * complex): what a stage-2 unmap of a nesting parent costs with 1 to 64
 * vSMMUs nested on it. Each vSMMU has a VMID the unmap's invalidation must
 * reach; the kernel adds one TLBI_S12_VMALL per vSMMU to the batch of the
 * parent's own TLBI and waits for one CMD_SYNC.
 *
 * For each count of vSMMUs it maps and unmaps one page UNMAPS times in each
 * of ROUNDS rounds and prints the best round as "bench: fanout N vSMMUs: T ns
 * per map+unmap". Before each phase,
 * and after the last, it sends one CMD_CFGI_CD_ALL through a vSMMU: a
 * marker in QEMU's trace of the SMMU's commands, from which scripts/bench.sh
 * counts the commands and CMD_SYNCs of each phase. Exits non-zero if a call
 * fails.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#if defined(IOMMU_VIOMMU_ALLOC) && defined(IOMMU_VDEVICE_ALLOC)
#include "edu.h"

#define MAX_VSMMUS	64
#define UNMAPS		200
#define ROUNDS		5
#define IOVA		0x01000000ULL
#define PSZ		4096
#define VIOMMU_TYPE_ARM_SMMUV3		1
#define VIOMMU_INV_DATA_ARM_SMMUV3	1
#define OP_CFGI_CD_ALL			0x06

static void fail(const char *what)
{
	printf("bench: fanout_bench: %s failed: errno %d (%s)\n", what, errno,
	       strerror(errno));
	exit(1);
}

static void xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg))
		fail(what);
}

static void map_unmap(int fd, __u32 ioas_id, void *page)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas_id,
		.user_va = (uintptr_t)page,
		.length = PSZ,
		.iova = IOVA,
	};
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = ioas_id,
		.iova = IOVA,
		.length = PSZ,
	};

	xioctl(fd, IOMMU_IOAS_MAP, &map, "IOMMU_IOAS_MAP");
	xioctl(fd, IOMMU_IOAS_UNMAP, &unmap, "IOMMU_IOAS_UNMAP");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The marker: one CFGI_CD_ALL of the vDEVICE's vSID */
static void marker(int fd, __u32 viommu)
{
	__le64 cmd[2] = { OP_CFGI_CD_ALL | (0x10ULL << 32), 0 };
	struct iommu_hwpt_invalidate inv = {
		.size = sizeof(inv),
		.hwpt_id = viommu,
		.data_uptr = (uintptr_t)cmd,
		.data_type = VIOMMU_INV_DATA_ARM_SMMUV3,
		.entry_len = sizeof(cmd),
		.entry_num = 1,
	};

	xioctl(fd, IOMMU_HWPT_INVALIDATE, &inv, "the marker");
}

int main(void)
{
	static const int counts[] = { 1, 2, 4, 8, 16, 32, 64 };
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	__u32 vsmmu[MAX_VSMMUS];
	int fd, devfd, have = 0;
	char cdev[300];
	unsigned int c, i;
	void *page;

	if (edu_find_cdev(cdev, sizeof(cdev)))
		fail("finding the edu device");
	fd = open("/dev/iommu", O_RDWR);
	devfd = open(cdev, O_RDWR);
	if (fd < 0 || devfd < 0)
		fail("open");
	bind.iommufd = fd;
	xioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind, "VFIO_DEVICE_BIND_IOMMUFD");
	xioctl(fd, IOMMU_IOAS_ALLOC, &ioas, "IOMMU_IOAS_ALLOC");

	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = bind.out_devid,
		.pt_id = ioas.out_ioas_id,
	};
	xioctl(fd, IOMMU_HWPT_ALLOC, &parent, "IOMMU_HWPT_ALLOC(NEST_PARENT)");
	attach.pt_id = parent.out_hwpt_id;
	xioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach, "attach");

	page = mmap(NULL, PSZ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		fail("mmap");
	memset(page, 0, PSZ);

	/* Warm up the paths before the first phase is timed */
	for (i = 0; i < UNMAPS; i++)
		map_unmap(fd, ioas.out_ioas_id, page);

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		double t0, t, best;
		int r;

		while (have < counts[c]) {
			struct iommu_viommu_alloc va = {
				.size = sizeof(va),
				.type = VIOMMU_TYPE_ARM_SMMUV3,
				.dev_id = bind.out_devid,
				.hwpt_id = parent.out_hwpt_id,
			};

			xioctl(fd, IOMMU_VIOMMU_ALLOC, &va, "IOMMU_VIOMMU_ALLOC");
			vsmmu[have++] = va.out_viommu_id;
			if (have == 1) {
				struct iommu_vdevice_alloc vd = {
					.size = sizeof(vd),
					.viommu_id = vsmmu[0],
					.dev_id = bind.out_devid,
					.virt_id = 0x10,
				};

				xioctl(fd, IOMMU_VDEVICE_ALLOC, &vd,
				       "IOMMU_VDEVICE_ALLOC");
			}
		}
		marker(fd, vsmmu[0]);
		best = 1e9;
		for (r = 0; r < ROUNDS; r++) {
			t0 = now();
			for (i = 0; i < UNMAPS; i++)
				map_unmap(fd, ioas.out_ioas_id, page);
			t = now() - t0;
			if (t < best)
				best = t;
		}
		printf("bench: fanout %d vSMMUs: %.0f ns per map+unmap\n",
		       counts[c], best / UNMAPS * 1e9);
	}
	marker(fd, vsmmu[0]);
	printf("bench: fanout phases %zu, unmaps per phase %d\n",
	       sizeof(counts) / sizeof(counts[0]), ROUNDS * UNMAPS);
	/* Closing the iommufd takes the rest down */
	close(devfd);
	close(fd);
	return 0;
}
#else
int main(void)
{
	printf("bench: fanout_bench: this tree has no vIOMMU uAPI\n");
	return 1;
}
#endif
