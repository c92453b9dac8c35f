// SPDX-License-Identifier: GPL-2.0
/*
 * 'make run' report: what the series offers a VMM, one numbered step per
 * line, first on a real (emulated) device, QEMU's edu, through the guest's
 * IOMMU:
 * - on VT-d, the kernel's domain for an IOAS: each DMA with the IOVA it used,
 *   the physical page the IOAS maps there and where the bytes were found;
 * - on a nesting SMMUv3, a VM's stage 2 shared by two vSMMUs, the guest's CD
 *   and stage-1 tables, nested DMA (guest VA -> IPA -> physical page), a
 *   guest remap before and after its invalidation, an IOAS unmap;
 * then on the iommufd mock device (drivers/iommu/iommufd/selftest.c): its
 * IOAS, a mock vIOMMU walk, and a second domain on a PASID. The steps on edu
 * are vmm.h's, the ones edu_dma's tests assert. Ends with one summary line;
 * exits non-zero if a step failed.
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
#include "edu.h"
#include "vmm.h"

#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

static int fd;
/* Every step of the report is counted here; its fds are the edu device's */
static struct vmm rep = { .iommufd = -1, .devfd = -1 };
static const char *arch_name = "?";

static void summary(void)
{
	printf("\nreport (%s): %d steps, %d failed\n", arch_name, rep.steps,
	       rep.failed);
}

/* A step on the mock device; the rest of the report needs it to succeed */
static void report(int ok, const char *what, const char *detail)
{
	if (!vmm_step(&rep, !ok, ok ? 0 : errno, what, detail[0] ? "%s" : NULL,
		      detail))
		return;
	summary();
	exit(1);
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

	printf("\n-- A VMM walk: a vIOMMU for the guest (the mock vIOMMU) --\n");
	report(!ioctl(fd, IOMMU_HWPT_ALLOC, &parent),
	       "IOMMU_HWPT_ALLOC nest parent (stage 2)", "");
	printf("           hwpt_id=%u\n", parent.out_hwpt_id);

	viommu.hwpt_id = parent.out_hwpt_id;
	report(!ioctl(fd, IOMMU_VIOMMU_ALLOC, &viommu),
	       "IOMMU_VIOMMU_ALLOC on the nest parent", "");
	printf("           viommu_id=%u\n", viommu.out_viommu_id);

	vdev.viommu_id = viommu.out_viommu_id;
	report(!ioctl(fd, IOMMU_VDEVICE_ALLOC, &vdev),
	       "IOMMU_VDEVICE_ALLOC for the device", "");
	printf("           vdevice_id=%u virt_id=0x%llx\n", vdev.out_vdevice_id,
	       (unsigned long long)vdev.virt_id);

	nested.pt_id = viommu.out_viommu_id;
	report(!ioctl(fd, IOMMU_HWPT_ALLOC, &nested),
	       "IOMMU_HWPT_ALLOC nested (stage 1) on vIOMMU", "");
	printf("           hwpt_id=%u\n", nested.out_hwpt_id);

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
	printf("           entries handled=%u\n", inv.entry_num);

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
}
#else
static void vmm_walk(__u32 ioas_id, __u32 stdev_id, __u32 dev_id)
{
	printf("\n-- VMM walk: skipped, this kernel has no vIOMMU uAPI --\n");
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

	printf("\n-- A second domain on PASID 1 of a mock device --\n");
	report(!ioctl(fd, IOMMU_TEST_CMD, &mock),
	       "bind a PASID-capable mock device", "");
	stdev = mock.mock_domain_flags.out_stdev_id;
	info.dev_id = mock.mock_domain_flags.out_idev_id;
	report(!ioctl(fd, IOMMU_GET_HW_INFO, &info) &&
	       info.out_max_pasid_log2 == MOCK_PASID_WIDTH,
	       "IOMMU_GET_HW_INFO: PASIDs", "");
	printf("           out_max_pasid_log2=%u\n", info.out_max_pasid_log2);

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
	printf("           RID hwpt_id=%u on ioas_id=%u, PASID hwpt_id=%u on ioas_id=%u\n",
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
}
#else
static void pasid_walk(__u32 ioas_id, void *buf_rid, void *buf_pasid,
		       size_t len)
{
	printf("\n-- PASID walk: skipped, this kernel has no PASID attach --\n");
}
#endif

/* The IOMMU behind the edu device, as GET_HW_INFO reports it */
static __u32 edu_iommu(struct vmm *v, char *what, size_t len)
{
	__u32 data[10] = { 0 };
	struct iommu_hw_info info = {
		.size = sizeof(info),
		.dev_id = v->dev_id,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)data,
	};
	int err = vmm_ioctl(v->iommufd, IOMMU_GET_HW_INFO, &info);

	if (info.out_data_type == IOMMU_HW_INFO_TYPE_INTEL_VTD)
		/* struct iommu_hw_info_vtd: flags, __reserved, cap_reg, ecap_reg */
		snprintf(what, len, "VT-d in %s mode (cap %#llx, ecap %#llx)",
			 data[5] & (1U << 11) ? "scalable" : "legacy",
			 (unsigned long long)data[3] << 32 | data[2],
			 (unsigned long long)data[5] << 32 | data[4]);
	else if (info.out_data_type == 2)
		/* struct iommu_hw_info_arm_smmuv3: flags, __reserved, idr[6] ... */
		snprintf(what, len, "SMMUv3; the IDR0 a vSMMU may show its "
			 "guest: %#x (stage 1 %s, stage 2 %s)", data[2],
			 data[2] & 2 ? "yes" : "no", data[2] & 1 ? "yes" : "no");
	else
		snprintf(what, len, "type %u", info.out_data_type);
	vmm_step(v, err, err, "IOMMU_GET_HW_INFO", "%s", what);
	return err ? 0 : info.out_data_type;
}

/*
 * The edu device through the real IOMMU: the kernel's domain on VT-d, a VM's
 * two stages on a nesting SMMUv3. A failure ends this part only.
 */
static void edu_report(void)
{
	char cdev[300], what[160];
	uint8_t *buf[3];

	printf("\n== QEMU's edu device through the IOMMU ==\n");
	if (edu_find_cdev(cdev, sizeof(cdev))) {
		vmm_step(&rep, -1, ENODEV, "find the edu device", "QEMU was "
			 "started without -device edu, or vfio-pci is missing");
		return;
	}
	if (vmm_open(&rep, cdev))
		goto out;
	switch (edu_iommu(&rep, what, sizeof(what))) {
	case IOMMU_HW_INFO_TYPE_INTEL_VTD:
		/* The device's IOVAs through the domain the kernel made */
		buf[0] = mmap(NULL, 3 * PSZ, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (vmm_step(&rep, buf[0] == MAP_FAILED, errno,
			     "allocate 3 pages of VMM memory", NULL))
			break;
		memset(buf[0], 0, 3 * PSZ);
		buf[1] = buf[0] + PSZ;
		buf[2] = buf[0] + 2 * PSZ;
		printf("\n-- DMA through HWPT %u, the kernel's domain for IOAS %u --\n",
		       rep.hwpt_id, rep.ioas_id);
		if (!iova_remap(&rep, buf))
			iova_unmap_stops(&rep, buf);
		munmap(buf[0], 3 * PSZ);
		break;
#ifdef IOMMU_VDEVICE_ALLOC
	case 2: {	/* IOMMU_HW_INFO_TYPE_ARM_SMMUV3 */
		struct nest n;

		printf("\n-- A VM: its RAM, its stage 2 and two vSMMUs --\n");
		if (nest_setup(&rep, &n))
			break;
		printf("\n-- The guest's stage 1 on vSMMU 0 --\n");
		if (nest_guest_s1(&rep, &n, 0) || nest_plug(&rep, &n, 0, VSID0, 0))
			break;
		printf("\n-- The guest remaps, then invalidates --\n");
		if (nest_remap(&rep, &n))
			break;
		printf("\n-- The device moves to vSMMU 1 --\n");
		if (nest_move(&rep, &n))
			break;
		printf("\n-- The VMM unmaps guest RAM --\n");
		if (nest_unmap_stops(&rep, &n, IPA_B))
			break;
		nest_teardown(&rep, &n);
		break;
	}
#endif
	case 0:
		break;	/* GET_HW_INFO failed, and said so */
	default:
		vmm_step(&rep, -1, 0, "a walk for this IOMMU", "none here for %s",
			 what);
	}
out:
	if (rep.failed)
		printf("           the edu part stopped at: %s\n", rep.err);
	vmm_close(&rep);
}

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

#if defined(__x86_64__)
	arch_name = "x86_64";
#elif defined(__aarch64__)
	arch_name = "arm64";
#endif
	rep.out = stdout;
	printf("iommufd report (%s): what the series offers a VMM\n", arch_name);
	edu_report();

	printf("\n== The iommufd mock device ==\n");
	fd = open("/dev/iommu", O_RDWR);
	report(fd >= 0, "open /dev/iommu", "");

	report(!ioctl(fd, IOMMU_IOAS_ALLOC, &ioas), "IOMMU_IOAS_ALLOC", "");
	snprintf(detail, sizeof(detail), "ioas_id=%u", ioas.out_ioas_id);
	printf("           %s\n", detail);

	mock.id = ioas.out_ioas_id;
	report(!ioctl(fd, IOMMU_TEST_CMD, &mock),
	       "bind a mock device, attach it to the IOAS", "");
	printf("           dev_id=%u hwpt_id=%u\n", mock.mock_domain.out_idev_id,
	       mock.mock_domain.out_hwpt_id);

	info.dev_id = mock.mock_domain.out_idev_id;
	report(!ioctl(fd, IOMMU_GET_HW_INFO, &info), "IOMMU_GET_HW_INFO", "");
	printf("           type=%s capabilities=0x%llx\n", hw_type(info.out_data_type),
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
	printf("           iova=0x%llx length=0x%llx\n", (unsigned long long)map.iova,
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
	printf("\n-- The end --\n");

	destroy.id = mock.mock_domain.out_stdev_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "unbind the mock device", "");
	destroy.id = ioas.out_ioas_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "IOMMU_DESTROY the IOAS", "");
	report(!close(fd), "close /dev/iommu", "");
	summary();
	return rep.failed ? 1 : 0;
}
