// SPDX-License-Identifier: GPL-2.0
/*
 * 'make run' demo: walks through what the series offers a VMM, one step per
 * line, on the iommufd mock device (drivers/iommu/iommufd/selftest.c) in a
 * guest whose VT-d is really translating, then the walk of a VMM that gives
 * its guest a vIOMMU (the mock one), then a second domain on a PASID of a
 * PASID-capable mock device. Exits non-zero if a step fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/iommufd.h>

#include "iommufd_test.h"

#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

static int fd, step;

static void report(int ok, const char *what, const char *detail)
{
	printf("%2d. %-44s %s%s%s\n", ++step, what, ok ? "ok" : "FAILED",
	       detail[0] ? "  " : "", detail);
	if (!ok) {
		printf("    errno %d (%s)\n", errno, strerror(errno));
		exit(1);
	}
}

static const char *hw_type(__u32 type)
{
	switch (type) {
	case IOMMU_HW_INFO_TYPE_NONE: return "none";
	case IOMMU_HW_INFO_TYPE_INTEL_VTD: return "intel-vtd";
	case IOMMU_HW_INFO_TYPE_SELFTEST: return "selftest (mock)";
	}
	return "unknown";
}

/* The vIOMMU uAPI and its mock; a tree without them builds the demo without */
#if defined(IOMMU_VIOMMU_ALLOC) && defined(IOMMU_TEST_DEV_CACHE_DEFAULT)
/*
 * The VMM walk, for the device @stdev_id/@dev_id attached to @ioas_id: a
 * vIOMMU on the guest's stage 2 (a nest parent), the device under a virtual
 * ID, the guest's stage 1 on the vIOMMU, and a device cache invalidation that
 * names the device by its virtual ID; then all of it torn down again.
 */
static void vmm_walk(__u32 ioas_id, __u32 stdev_id, __u32 dev_id)
{
	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = dev_id,
		.pt_id = ioas_id,
	};
	struct iommu_viommu_alloc viommu = {
		.size = sizeof(viommu),
		.type = IOMMU_VIOMMU_TYPE_SELFTEST,
		.dev_id = dev_id,
	};
	struct iommu_vdevice_alloc vdev = {
		.size = sizeof(vdev),
		.dev_id = dev_id,
		.virt_id = 0x10,
	};
	struct iommu_hwpt_selftest s1 = { .iotlb = IOMMU_TEST_IOTLB_DEFAULT };
	struct iommu_hwpt_alloc nested = {
		.size = sizeof(nested),
		.dev_id = dev_id,
		.data_type = IOMMU_HWPT_DATA_SELFTEST,
		.data_len = sizeof(s1),
		.data_uptr = (uintptr_t)&s1,
	};
	struct iommu_test_cmd replace = {
		.size = sizeof(replace),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
		.id = stdev_id,
	};
	struct iommu_viommu_invalidate_selftest req = {
		.vdev_id = 0x10,
		.cache_id = 0,
	};
	struct iommu_hwpt_invalidate inv = {
		.size = sizeof(inv),
		.data_uptr = (uintptr_t)&req,
		.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST,
		.entry_len = sizeof(req),
		.entry_num = 1,
	};
	struct iommu_test_cmd cache = {
		.size = sizeof(cache),
		.op = IOMMU_TEST_OP_DEV_CHECK_CACHE,
		.id = dev_id,
	};
	struct iommu_destroy destroy = { .size = sizeof(destroy) };
	char detail[160];

	printf("\nVMM walk: a vIOMMU for the guest (mock vIOMMU)\n\n");
	report(!ioctl(fd, IOMMU_HWPT_ALLOC, &parent),
	       "IOMMU_HWPT_ALLOC nest parent (stage 2)", "");
	printf("    hwpt_id=%u\n", parent.out_hwpt_id);

	viommu.hwpt_id = parent.out_hwpt_id;
	report(!ioctl(fd, IOMMU_VIOMMU_ALLOC, &viommu),
	       "IOMMU_VIOMMU_ALLOC on the nest parent", "");
	printf("    viommu_id=%u\n", viommu.out_viommu_id);

	vdev.viommu_id = viommu.out_viommu_id;
	report(!ioctl(fd, IOMMU_VDEVICE_ALLOC, &vdev),
	       "IOMMU_VDEVICE_ALLOC for the device", "");
	printf("    vdevice_id=%u virt_id=0x%llx\n", vdev.out_vdevice_id,
	       (unsigned long long)vdev.virt_id);

	nested.pt_id = viommu.out_viommu_id;
	report(!ioctl(fd, IOMMU_HWPT_ALLOC, &nested),
	       "IOMMU_HWPT_ALLOC nested (stage 1) on vIOMMU", "");
	printf("    hwpt_id=%u\n", nested.out_hwpt_id);

	replace.mock_domain_replace.pt_id = nested.out_hwpt_id;
	report(!ioctl(fd, IOMMU_TEST_CMD, &replace),
	       "attach the device to the nested HWPT", "");

	cache.check_dev_cache.id = 0;
	cache.check_dev_cache.cache = IOMMU_TEST_DEV_CACHE_DEFAULT;
	snprintf(detail, sizeof(detail), "cache[0]=0x%x",
		 IOMMU_TEST_DEV_CACHE_DEFAULT);
	report(!ioctl(fd, IOMMU_TEST_CMD, &cache),
	       "the device's cache 0 holds the default", detail);

	inv.hwpt_id = viommu.out_viommu_id;
	report(!ioctl(fd, IOMMU_HWPT_INVALIDATE, &inv) && inv.entry_num == 1,
	       "IOMMU_HWPT_INVALIDATE via vIOMMU, vdev 0x10", "");
	printf("    entries handled=%u\n", inv.entry_num);

	cache.check_dev_cache.cache = 0;
	report(!ioctl(fd, IOMMU_TEST_CMD, &cache),
	       "the device's cache 0 is cleared", "cache[0]=0x0");

	replace.mock_domain_replace.pt_id = parent.out_hwpt_id;
	report(!ioctl(fd, IOMMU_TEST_CMD, &replace),
	       "re-attach the device to the nest parent", "");
	destroy.id = nested.out_hwpt_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy),
	       "IOMMU_DESTROY the nested HWPT", "");
	destroy.id = vdev.out_vdevice_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "IOMMU_DESTROY the vDEVICE", "");
	destroy.id = viommu.out_viommu_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "IOMMU_DESTROY the vIOMMU", "");
	/* The device holds the HWPT it is attached to */
	replace.mock_domain_replace.pt_id = ioas_id;
	report(!ioctl(fd, IOMMU_TEST_CMD, &replace),
	       "re-attach the device to the IOAS", "");
	destroy.id = parent.out_hwpt_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy),
	       "IOMMU_DESTROY the nest parent", "");
	printf("\n");
}
#else
static void vmm_walk(__u32 ioas_id, __u32 stdev_id, __u32 dev_id)
{
	printf("\nVMM walk: skipped, this kernel has no vIOMMU uAPI\n\n");
}
#endif

/* PASID attach and its mock; a tree without them builds the demo without */
#ifdef MOCK_PASID_WIDTH
static int pasid_op(__u32 op, __u32 stdev_id, __u32 pasid, __u32 pt_id)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = op,
		.id = stdev_id,
	};

	/* attach, replace and check share the layout of pasid and the ID */
	cmd.pasid_attach.pasid = pasid;
	cmd.pasid_attach.pt_id = pt_id;
	return ioctl(fd, IOMMU_TEST_CMD, &cmd);
}

/* Whether @hwpt_id translates @iova to the pages of @buf */
static int maps_to(__u32 hwpt_id, __u64 iova, void *buf, size_t len)
{
	struct iommu_test_cmd check = {
		.size = sizeof(check),
		.op = IOMMU_TEST_OP_MD_CHECK_MAP,
		.id = hwpt_id,
		.check_map = { .iova = iova, .length = len,
			       .uptr = (uintptr_t)buf },
	};

	return !ioctl(fd, IOMMU_TEST_CMD, &check);
}

/*
 * The PASID walk: a PASID-capable mock device whose RID translates through
 * one IOAS and PASID 1 through another, the same IOVA landing in different
 * pages for each; then PASID 1 moved onto the RID's domain and detached.
 */
static void pasid_walk(__u32 ioas_id, void *buf_rid, void *buf_pasid,
		       size_t len)
{
	struct iommu_test_cmd mock = {
		.size = sizeof(mock),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS,
		.id = ioas_id,
		.mock_domain_flags = { .dev_flags = MOCK_FLAGS_DEVICE_PASID },
	};
	struct iommu_hwpt_alloc rid = {
		.size = sizeof(rid),
		.flags = IOMMU_HWPT_ALLOC_PASID,
		.pt_id = ioas_id,
	};
	struct iommu_hwpt_alloc pasid = {
		.size = sizeof(pasid),
		.flags = IOMMU_HWPT_ALLOC_PASID,
	};
	struct iommu_test_cmd replace = {
		.size = sizeof(replace),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
	};
	struct iommu_ioas_alloc ioas2 = { .size = sizeof(ioas2) };
	struct iommu_hw_info info = { .size = sizeof(info) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_destroy destroy = { .size = sizeof(destroy) };
	const __u64 iova = 1ULL << 24;
	__u32 stdev;
	int ok;

	printf("PASID walk: a second domain on PASID 1 of a mock device\n\n");
	report(!ioctl(fd, IOMMU_TEST_CMD, &mock),
	       "bind a PASID-capable mock device", "");
	stdev = mock.mock_domain_flags.out_stdev_id;
	info.dev_id = mock.mock_domain_flags.out_idev_id;
	report(!ioctl(fd, IOMMU_GET_HW_INFO, &info) &&
	       info.out_max_pasid_log2 == MOCK_PASID_WIDTH,
	       "IOMMU_GET_HW_INFO: PASIDs", "");
	printf("    out_max_pasid_log2=%u\n", info.out_max_pasid_log2);

	/* The RID must be PASID-compatible too while PASIDs are attached */
	rid.dev_id = info.dev_id;
	report(!ioctl(fd, IOMMU_HWPT_ALLOC, &rid),
	       "IOMMU_HWPT_ALLOC (ALLOC_PASID) for the RID", "");
	replace.id = stdev;
	replace.mock_domain_replace.pt_id = rid.out_hwpt_id;
	report(!ioctl(fd, IOMMU_TEST_CMD, &replace),
	       "attach the RID to it", "");

	report(!ioctl(fd, IOMMU_IOAS_ALLOC, &ioas2), "IOMMU_IOAS_ALLOC, a second", "");
	pasid.dev_id = info.dev_id;
	pasid.pt_id = ioas2.out_ioas_id;
	report(!ioctl(fd, IOMMU_HWPT_ALLOC, &pasid),
	       "IOMMU_HWPT_ALLOC (ALLOC_PASID) on it", "");
	printf("    RID hwpt_id=%u on ioas_id=%u, PASID hwpt_id=%u on ioas_id=%u\n",
	       rid.out_hwpt_id, ioas_id, pasid.out_hwpt_id, ioas2.out_ioas_id);

	/* One IOVA, two pages: 0xa5s through the RID, 0x5as through PASID 1 */
	memset(buf_rid, 0xa5, len);
	memset(buf_pasid, 0x5a, len);
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
		    IOMMU_IOAS_MAP_WRITEABLE;
	map.iova = iova;
	map.length = len;
	map.ioas_id = ioas_id;
	map.user_va = (uintptr_t)buf_rid;
	report(!ioctl(fd, IOMMU_IOAS_MAP, &map), "map IOVA 0x1000000 in the RID's IOAS", "");
	map.ioas_id = ioas2.out_ioas_id;
	map.user_va = (uintptr_t)buf_pasid;
	report(!ioctl(fd, IOMMU_IOAS_MAP, &map), "map it in PASID 1's IOAS", "");

	report(!pasid_op(IOMMU_TEST_OP_PASID_ATTACH, stdev, 1, pasid.out_hwpt_id),
	       "attach PASID 1 to its HWPT", "");
	report(!pasid_op(IOMMU_TEST_OP_PASID_CHECK_HWPT, stdev, 1,
			 pasid.out_hwpt_id) &&
	       !pasid_op(IOMMU_TEST_OP_PASID_CHECK_HWPT, stdev, 2, 0),
	       "driver: PASID 1 on it, PASID 2 on none", "");
	report(maps_to(rid.out_hwpt_id, iova, buf_rid, len) &&
	       maps_to(pasid.out_hwpt_id, iova, buf_pasid, len),
	       "IOVA 0x1000000: RID->0xa5s, PASID 1->0x5as", "");

	report(!pasid_op(IOMMU_TEST_OP_PASID_REPLACE, stdev, 1, rid.out_hwpt_id) &&
	       !pasid_op(IOMMU_TEST_OP_PASID_CHECK_HWPT, stdev, 1,
			 rid.out_hwpt_id),
	       "replace: PASID 1 now on the RID's HWPT", "");
	report(!pasid_op(IOMMU_TEST_OP_PASID_DETACH, stdev, 1, 0) &&
	       !pasid_op(IOMMU_TEST_OP_PASID_CHECK_HWPT, stdev, 1, 0),
	       "detach PASID 1: no translation", "");

	destroy.id = stdev;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy),
	       "unbind the PASID-capable device", "");
	destroy.id = pasid.out_hwpt_id;
	ok = !ioctl(fd, IOMMU_DESTROY, &destroy);
	destroy.id = rid.out_hwpt_id;
	report(ok && !ioctl(fd, IOMMU_DESTROY, &destroy),
	       "IOMMU_DESTROY both HWPTs", "");
	destroy.id = ioas2.out_ioas_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "IOMMU_DESTROY the second IOAS", "");
	printf("\n");
}
#else
static void pasid_walk(__u32 ioas_id, void *buf_rid, void *buf_pasid,
		       size_t len)
{
	printf("PASID walk: skipped, this kernel has no PASID attach\n\n");
}
#endif

int main(void)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct iommu_test_cmd mock = {
		.size = sizeof(mock),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
	};
	struct iommu_test_cmd check = {
		.size = sizeof(check),
		.op = IOMMU_TEST_OP_MD_CHECK_MAP,
	};
	struct iommu_hw_info info = { .size = sizeof(info) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	struct iommu_destroy destroy = { .size = sizeof(destroy) };
	char detail[160];
	size_t len = 64 * 1024;
	void *buf;

	printf("iommufd demo: what the series offers a VMM\n\n");
	fd = open("/dev/iommu", O_RDWR);
	report(fd >= 0, "open /dev/iommu", "");

	report(!ioctl(fd, IOMMU_IOAS_ALLOC, &ioas), "IOMMU_IOAS_ALLOC", "");
	snprintf(detail, sizeof(detail), "ioas_id=%u", ioas.out_ioas_id);
	printf("    %s\n", detail);

	mock.id = ioas.out_ioas_id;
	report(!ioctl(fd, IOMMU_TEST_CMD, &mock),
	       "bind a mock device, attach it to the IOAS", "");
	printf("    dev_id=%u hwpt_id=%u\n", mock.mock_domain.out_idev_id,
	       mock.mock_domain.out_hwpt_id);

	info.dev_id = mock.mock_domain.out_idev_id;
	report(!ioctl(fd, IOMMU_GET_HW_INFO, &info), "IOMMU_GET_HW_INFO", "");
	printf("    type=%s capabilities=0x%llx\n", hw_type(info.out_data_type),
	       (unsigned long long)info.out_capabilities);

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report(buf != MAP_FAILED, "allocate 64 KiB of guest memory", "");
	memset(buf, 0xa5, len);

	map.flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
	map.ioas_id = ioas.out_ioas_id;
	map.user_va = (uintptr_t)buf;
	map.length = len;
	report(!ioctl(fd, IOMMU_IOAS_MAP, &map), "IOMMU_IOAS_MAP (kernel picks IOVA)", "");
	printf("    iova=0x%llx length=0x%llx\n", (unsigned long long)map.iova,
	       (unsigned long long)map.length);

	check.id = mock.mock_domain.out_hwpt_id;
	check.check_map.iova = map.iova;
	check.check_map.length = len;
	check.check_map.uptr = (uintptr_t)buf;
	report(!ioctl(fd, IOMMU_TEST_CMD, &check),
	       "the mock domain's page table maps those pages", "");

	unmap.ioas_id = ioas.out_ioas_id;
	unmap.iova = map.iova;
	unmap.length = len;
	report(!ioctl(fd, IOMMU_IOAS_UNMAP, &unmap), "IOMMU_IOAS_UNMAP", "");
	report(ioctl(fd, IOMMU_TEST_CMD, &check) && errno == EINVAL,
	       "the mapping is gone from the page table", "");

	vmm_walk(ioas.out_ioas_id, mock.mock_domain.out_stdev_id,
		 mock.mock_domain.out_idev_id);
	pasid_walk(ioas.out_ioas_id, buf, (char *)buf + len / 2, len / 2);

	destroy.id = mock.mock_domain.out_stdev_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "unbind the mock device", "");
	destroy.id = ioas.out_ioas_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "IOMMU_DESTROY the IOAS", "");
	report(!close(fd), "close /dev/iommu", "");
	printf("\ndemo: all %d steps passed\n", step);
	return 0;
}
