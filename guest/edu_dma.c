// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end DMA through a real (emulated) IOMMU: QEMU's "edu" PCI device is
 * bound to vfio-pci, attached to an iommufd IOAS through the vfio cdev, and
 * made to copy bytes between its internal buffer and IOAS-mapped memory. The
 * bytes must land exactly where the IOAS mapping says, and nowhere once the
 * mapping is gone or read-only.
 *
 * IOMMUTEST_MODE names the IOMMU configuration QEMU was started with (legacy,
 * sm, flts for VT-d; for arm64 smmuv3, whose root complex is CANWBS, and
 * smmuv3-acpi and smmuv3-dt, the same nesting SMMU without CANWBS, and
 * smmuv3-s1, one that cannot nest) and is checked against GET_HW_INFO and
 * against what HWPT_ALLOC and VIOMMU_ALLOC offer.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "kselftest_harness.h"
#include "iommufd_test.h"
#include "edu.h"
#include "vmm.h"


/* VT-d extended capability bits (VT-d spec 11.4.3) */
#define ECAP_SMTS	(1ULL << 43)
#define ECAP_SLTS	(1ULL << 46)
#define ECAP_FLTS	(1ULL << 47)
#define ECAP_PASID	(1ULL << 40)
#define ECAP_PSS(e)	(((e) >> 35) & 0x1f)

/*
 * IOMMU_GET_HW_INFO for SMMUv3 (upstream's numbers and layout, defined here so
 * this program also builds against trees that predate them)
 */
#define HW_INFO_TYPE_ARM_SMMUV3	2
struct hw_info_smmuv3 {
	__u32 flags, reserved, idr[6], iidr, aidr;
};
#define IDR0_S2P	(1U << 0)
#define IDR0_S1P	(1U << 1)
#define IDR0_TTF	(3U << 2)
#define IDR0_BTM	(1U << 5)
#define IDR0_HTTU	(3U << 6)
#define IDR0_HYP	(1U << 9)
#define IDR0_VMID16	(1U << 18)
#define IDR0_ST_LVL	(3U << 27)
#define IDR1_SIDSIZE	0x3fU
#define IDR1_SSIDSIZE_MASK	(0x1fU << 6)
#define IDR5_GRAN4K	(1U << 4)

static const char *mode(void)
{
	const char *m = getenv("IOMMUTEST_MODE");

	return m ? m : "none";
}

/* Any SMMUv3 mode */
static int mode_smmuv3(void)
{
	return !strncmp(mode(), "smmuv3", 6);
}

/* An SMMU with both stages: nesting parents work */
static int mode_nests(void)
{
	return mode_smmuv3() && strcmp(mode(), "smmuv3-s1");
}

/* ... and a CANWBS root complex: vSMMUs work */
static int mode_vsmmu(void)
{
	return !strcmp(mode(), "smmuv3");
}

FIXTURE(edu)
{
	struct vmm v;
	uint8_t *buf[3];
};

/* Put @pattern into the device buffer by DMA from a mapped page */
static void load_device(struct __test_metadata *_metadata,
			FIXTURE_DATA(edu) *self, uint8_t pattern)
{
	memset(self->buf[2], pattern, PSZ);
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[2], IOVA_A + 0x100000, RW));
	ASSERT_EQ(0, edu_dma(&self->v, IOVA_A + 0x100000, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, ioas_unmap(&self->v, IOVA_A + 0x100000));
}

FIXTURE_SETUP(edu)
{
	char cdev[300];
	int i;

	if (edu_find_cdev(cdev, sizeof(cdev))) {
		const char *mode = getenv("IOMMUTEST_MODE");

		/* Under the harness the device is always there: its absence fails */
		ASSERT_TRUE(!mode || !strcmp(mode, "none"))
			TH_LOG("no edu device bound to vfio-pci in mode %s", mode);
		SKIP(return, "no edu device (start QEMU with -device edu)");
	}
	ASSERT_EQ(0, vmm_open(&self->v, cdev)) TH_LOG("%s", self->v.err);

	for (i = 0; i < 3; i++) {
		self->buf[i] = mmap(NULL, PSZ, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, self->buf[i]);
		memset(self->buf[i], 0, PSZ);
	}
}

FIXTURE_TEARDOWN(edu)
{
	int i;

	for (i = 0; i < 3; i++)
		if (self->buf[i] && self->buf[i] != MAP_FAILED)
			munmap(self->buf[i], PSZ);
	vmm_close(&self->v);
}

/*
 * The IOASID space is as wide as the IOMMU's PASIDs, as QEMU reports them
 * (a scalable-mode VT-d with PASIDs has PSS + 1 bits), and 20 bits without
 * them. The kernel set's quota in debugfs is the usable IDs, 1 to
 * capacity - 1, as nothing in this guest reserves any.
 */
static void ioasid_space_fits(struct __test_metadata *_metadata, __u64 ecap)
{
	unsigned long long want = 1ULL << 20, quota = 0;
	char line[128];
	FILE *f;

	if ((ecap & ECAP_SMTS) && (ecap & ECAP_PASID) &&
	    (2ULL << ECAP_PSS(ecap)) < want)
		want = 2ULL << ECAP_PSS(ecap);
	f = fopen("/sys/kernel/debug/ioasid/sets", "r");
	ASSERT_NE(NULL, f) TH_LOG("no IOASID debugfs view: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "0\tkernel\t%llu\t", &quota) == 1)
			break;
	fclose(f);
	TH_LOG("IOASID capacity %llu: the kernel set may take %llu", want, quota);
	ASSERT_EQ(want - 1, quota);
}

/* GET_HW_INFO agrees with the IOMMU configuration QEMU was started with */
TEST_F(edu, hw_info_matches_mode)
{
	union {
		struct iommu_hw_info_vtd vtd;
		struct hw_info_smmuv3 smmu;
	} data = {};
	struct iommu_hw_info_vtd vtd;
	struct iommu_hw_info info = {
		.size = sizeof(info),
		.dev_id = self->v.dev_id,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)&data,
	};
	const char *mode = getenv("IOMMUTEST_MODE");

	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_GET_HW_INFO, &info));
	if (!mode || !strcmp(mode, "none"))
		SKIP(return, "IOMMUTEST_MODE not set");
	if (mode_smmuv3()) {
		const __u32 *idr = data.smmu.idr;

		ASSERT_EQ(HW_INFO_TYPE_ARM_SMMUV3, info.out_data_type);
		ASSERT_EQ(sizeof(data.smmu), info.data_len);
		TH_LOG("SMMU IDR0 0x%x IDR1 0x%x IDR3 0x%x IDR5 0x%x IIDR 0x%x AIDR 0x%x",
		       idr[0], idr[1], idr[3], idr[5], data.smmu.iidr,
		       data.smmu.aidr);
		ASSERT_EQ(0, data.smmu.flags);
		/* What a guest's stage 1 needs is there */
		ASSERT_TRUE(idr[0] & IDR0_S1P);
		ASSERT_TRUE(idr[0] & IDR0_TTF);
		ASSERT_TRUE(idr[5] & IDR5_GRAN4K);
		/*
		 * What a VMM checks its virtual SMMU against, as the SMMU has
		 * it: QEMU's has a 2-level stream table and 16-bit StreamIDs
		 */
		ASSERT_EQ(1, (idr[0] & IDR0_ST_LVL) >> 27);
		ASSERT_EQ(16, idr[1] & IDR1_SIDSIZE);
		/* Stage 2, VMIDs, HTTU and BTM are not the guest's */
		ASSERT_EQ(0, idr[0] & (IDR0_S2P | IDR0_VMID16 | IDR0_HYP |
				       IDR0_HTTU | IDR0_BTM));
		ASSERT_EQ(0, idr[2]);
		ASSERT_EQ(0, idr[4]);
		return;
	}
	ASSERT_EQ(IOMMU_HW_INFO_TYPE_INTEL_VTD, info.out_data_type);
	vtd = data.vtd;
	TH_LOG("VT-d cap 0x%llx ecap 0x%llx", (unsigned long long)vtd.cap_reg,
	       (unsigned long long)vtd.ecap_reg);
	if (!strcmp(mode, "legacy")) {
		ASSERT_FALSE(vtd.ecap_reg & ECAP_SMTS);
	} else if (!strcmp(mode, "sm")) {
		ASSERT_TRUE(vtd.ecap_reg & ECAP_SMTS);
		ASSERT_TRUE(vtd.ecap_reg & ECAP_SLTS);
	} else if (!strcmp(mode, "flts")) {
		ASSERT_TRUE(vtd.ecap_reg & ECAP_SMTS);
		ASSERT_TRUE(vtd.ecap_reg & ECAP_FLTS);
		/* Only a first stage: the kernel cannot be using a second one */
		ASSERT_FALSE(vtd.ecap_reg & ECAP_SLTS);
	} else {
		ASSERT_TRUE(0) TH_LOG("unknown IOMMUTEST_MODE %s", mode);
	}
	ioasid_space_fits(_metadata, vtd.ecap_reg);
}

/* Memory -> device -> memory: the bytes land in the page mapped at the IOVA */
TEST_F(edu, dma_lands_in_mapping)
{
	memset(self->buf[0], 0x5a, PSZ);
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(&self->v, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x5a));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x5a));

	/* A partial transfer at an offset touches only those bytes */
	memset(self->buf[1], 0, PSZ);
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B + 256, 512, 1));
	ASSERT_EQ(0, self->buf[1][255]);
	ASSERT_EQ(0x5a, self->buf[1][256]);
	ASSERT_EQ(0x5a, self->buf[1][767]);
	ASSERT_EQ(0, self->buf[1][768]);
}

/* After unmap + map of another page at the same IOVA, DMA follows the IOAS */
TEST_F(edu, remap_follows_ioas)
{
	ASSERT_EQ(0, iova_remap(&self->v, self->buf)) TH_LOG("%s", self->v.err);
}

/* Once unmapped, the old page is unreachable: the write faults in the IOMMU */
TEST_F(edu, unmapped_iova_faults)
{
	ASSERT_EQ(0, iova_remap(&self->v, self->buf)) TH_LOG("%s", self->v.err);
	ASSERT_EQ(0, iova_unmap_stops(&self->v, self->buf))
		TH_LOG("%s", self->v.err);
}

/* A read-only mapping can be read by the device but not written */
TEST_F(edu, readonly_mapping)
{
	memset(self->buf[0], 0x66, PSZ);
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[0], IOVA_A, IOMMU_IOAS_MAP_READABLE));
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(&self->v, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x66));

	load_device(_metadata, self, 0x77);
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_A, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x66));
}

/*
 * QEMU's edu has no PASID capability, so VFIO refuses to attach a PASID of
 * it (EOPNOTSUPP) after checking the framing of the request as the uAPI
 * says (EINVAL), detaching a PASID that is not attached is harmless, and
 * the RID, attached by a binary that knows no PASIDs, still translates.
 */
TEST_F(edu, pasid_attach_refused)
{
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
		.flags = VFIO_DEVICE_ATTACH_PASID,
		.pt_id = self->v.ioas_id,
		.pasid = 1,
	};
	struct vfio_device_detach_iommufd_pt detach = {
		.argsz = sizeof(detach),
		.flags = VFIO_DEVICE_DETACH_PASID,
		.pasid = 1,
	};
	const size_t old_argsz = offsetof(struct vfio_device_attach_iommufd_pt,
					  pasid);

	ASSERT_EQ(-1, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(EOPNOTSUPP, errno);
	/* With the flag, argsz must reach the end of pasid */
	attach.argsz = old_argsz;
	ASSERT_EQ(-1, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(EINVAL, errno);
	/* Unknown flags, alone or with the PASID flag */
	attach.argsz = sizeof(attach);
	attach.flags = 1 << 1;
	ASSERT_EQ(-1, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(EINVAL, errno);
	attach.flags = VFIO_DEVICE_ATTACH_PASID | 1u << 31;
	ASSERT_EQ(-1, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(EINVAL, errno);

	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
	detach.argsz = offsetof(struct vfio_device_detach_iommufd_pt, pasid);
	ASSERT_EQ(-1, ioctl(self->v.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
	ASSERT_EQ(EINVAL, errno);
	detach.argsz = sizeof(detach);
	detach.flags = 1 << 1;
	ASSERT_EQ(-1, ioctl(self->v.devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach));
	ASSERT_EQ(EINVAL, errno);

	/* The RID, replaced with what it has by an old binary */
	attach.argsz = old_argsz;
	attach.flags = 0;
	attach.pt_id = self->v.hwpt_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(self->v.hwpt_id, attach.pt_id);
	memset(self->buf[0], 0x6c, PSZ);
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(&self->v, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x6c));
}

/*
 * A domain for PASIDs (IOMMU_HWPT_ALLOC_PASID) is refused with EOPNOTSUPP
 * exactly where the IOMMU that QEMU emulates has no PASIDs: a VT-d without
 * scalable mode or without ECAP.PASID, an SMMUv3 without stage 1 or without
 * substreams (IDR1.SSIDSIZE 0). Where it is allocated, it translates the
 * RID as any domain does. edu has no PASID capability, so GET_HW_INFO gives
 * it no PASID width and no PASID capability bits either way.
 */
TEST_F(edu, pasid_domain_on_rid)
{
	union {
		struct iommu_hw_info_vtd vtd;
		struct hw_info_smmuv3 smmu;
	} data = {};
	struct iommu_hw_info info = {
		.size = sizeof(info),
		.dev_id = self->v.dev_id,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)&data,
	};
	struct iommu_hwpt_alloc alloc = {
		.size = sizeof(alloc),
		.flags = IOMMU_HWPT_ALLOC_PASID,
		.dev_id = self->v.dev_id,
		.pt_id = self->v.ioas_id,
	};
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	int want, rc;

	if (!strcmp(mode(), "none"))
		SKIP(return, "IOMMUTEST_MODE not set");
	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_GET_HW_INFO, &info));
	ASSERT_EQ(0, info.out_max_pasid_log2);
	ASSERT_EQ(0, info.out_capabilities & (IOMMU_HW_CAP_PCI_PASID_EXEC |
					      IOMMU_HW_CAP_PCI_PASID_PRIV));
	if (mode_smmuv3())
		want = (data.smmu.idr[0] & IDR0_S1P) &&
		       (data.smmu.idr[1] & IDR1_SSIDSIZE_MASK);
	else
		want = (data.vtd.ecap_reg & ECAP_SMTS) &&
		       (data.vtd.ecap_reg & ECAP_PASID);

	rc = ioctl(self->v.iommufd, IOMMU_HWPT_ALLOC, &alloc);
	TH_LOG("the IOMMU %s PASIDs: HWPT_ALLOC with ALLOC_PASID %s",
	       want ? "has" : "has no", rc ? strerror(errno) : "succeeds");
	if (!want) {
		ASSERT_EQ(-1, rc);
		ASSERT_EQ(EOPNOTSUPP, errno);
		return;
	}
	ASSERT_EQ(0, rc);

	attach.pt_id = alloc.out_hwpt_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		TH_LOG("attach the RID: %s", strerror(errno));
	memset(self->buf[0], 0x7e, PSZ);
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(&self->v, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x7e));

	attach.pt_id = self->v.ioas_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_DESTROY,
			   &(struct iommu_destroy){ .size = sizeof(struct iommu_destroy),
						    .id = alloc.out_hwpt_id }));
}

/*
 * A nesting parent (the stage 2 of a future guest) translates on its own while
 * no stage 1 is nested on it. Only an SMMUv3 with both stages offers one.
 */
TEST_F(edu, nest_parent_translates)
{
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_hwpt_alloc alloc = {
		.size = sizeof(alloc),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = self->v.dev_id,
		.pt_id = self->v.ioas_id,
	};
	const char *mode = getenv("IOMMUTEST_MODE");
	int rc;

	if (!mode || !strcmp(mode, "none"))
		SKIP(return, "IOMMUTEST_MODE not set");
	rc = ioctl(self->v.iommufd, IOMMU_HWPT_ALLOC, &alloc);
	if (!mode_nests()) {
		/* QEMU's VT-d and the stage-1-only SMMUv3 cannot nest */
		ASSERT_EQ(-1, rc);
		ASSERT_EQ(EOPNOTSUPP, errno);
		return;
	}
	ASSERT_EQ(0, rc) TH_LOG("NEST_PARENT: %s", strerror(errno));

	attach.pt_id = alloc.out_hwpt_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		TH_LOG("attach to the nesting parent: %s", strerror(errno));

	/* The mappings of the IOAS reach the parent: DMA lands through it */
	memset(self->buf[0], 0x5c, PSZ);
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(&self->v, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x5c));

	/* And the unmap does too: the old page stays untouched */
	ASSERT_EQ(0, ioas_unmap(&self->v, IOVA_B));
	load_device(_metadata, self, 0x5d);
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x5c));

	/* Back to the automatic domain, so the parent can go */
	attach.pt_id = self->v.ioas_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_DESTROY,
			   &(struct iommu_destroy){ .size = sizeof(struct iommu_destroy),
						    .id = alloc.out_hwpt_id }));
}

/*
 * The firmware's word on coherency reaches VFIO: with a CANWBS root complex
 * the SMMUv3 enforces cache coherency for the device, so a type1 container
 * reports VFIO_DMA_CC_IOMMU; without one, through ACPI or a device tree, it
 * does not. Through the group, which the fixture's cdev would keep busy.
 */
TEST(edu_cache_coherency_follows_firmware)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char cdev[300], link[320], group[64];
	int container, groupfd, cc;
	ssize_t n;

	if (!mode_smmuv3())
		SKIP(return, "SMMUv3 modes only");
	ASSERT_EQ(0, edu_find_cdev(cdev, sizeof(cdev)));
	snprintf(link, sizeof(link), "%s/iommu_group", edu_dir);
	n = readlink(link, cdev, sizeof(cdev) - 1);
	ASSERT_LT(0, n);
	cdev[n] = 0;
	snprintf(group, sizeof(group), "/dev/vfio/%s", strrchr(cdev, '/') + 1);

	container = open("/dev/vfio/vfio", O_RDWR);
	ASSERT_LE(0, container);
	groupfd = open(group, O_RDWR);
	ASSERT_LE(0, groupfd) TH_LOG("%s: %s", group, strerror(errno));
	ASSERT_EQ(0, ioctl(groupfd, VFIO_GROUP_GET_STATUS, &status));
	ASSERT_TRUE(status.flags & VFIO_GROUP_FLAGS_VIABLE);
	ASSERT_EQ(0, ioctl(groupfd, VFIO_GROUP_SET_CONTAINER, &container));
	ASSERT_EQ(0, ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	cc = ioctl(container, VFIO_CHECK_EXTENSION, VFIO_DMA_CC_IOMMU);
	TH_LOG("mode %s: VFIO_DMA_CC_IOMMU %d", mode(), cc);
	ASSERT_EQ(mode_vsmmu() ? 1 : 0, cc);
	ASSERT_EQ(0, ioctl(groupfd, VFIO_GROUP_UNSET_CONTAINER));
	close(groupfd);
	close(container);
}

#ifdef IOMMU_VIOMMU_ALLOC
/*
 * Two vSMMUs share one nesting parent, each with a VMID of its own; stage-2
 * changes still reach the device. VT-d has no vIOMMU type here.
 */
TEST_F(edu, vsmmu_shares_parent)
{
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_hwpt_alloc alloc = {
		.size = sizeof(alloc),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = self->v.dev_id,
		.pt_id = self->v.ioas_id,
	};
	const char *mode = getenv("IOMMUTEST_MODE");
	__u32 vsmmu[2], data = 0;

	if (!mode || !strcmp(mode, "none"))
		SKIP(return, "IOMMUTEST_MODE not set");
	if (!mode_nests()) {
		/* No vIOMMU type on VT-d; no vSMMU on an SMMU that cannot nest */
		ASSERT_EQ(-1, viommu_alloc(&self->v, self->v.hwpt_id, &vsmmu[0], NULL, 0));
		ASSERT_EQ(EOPNOTSUPP, errno);
		return;
	}

	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_HWPT_ALLOC, &alloc));
	if (!mode_vsmmu()) {
		/*
		 * The SMMU nests, but the firmware does not say the root
		 * complex is CANWBS and the SMMU has no S2FWB: the guest's
		 * stage 1 could make DMA bypass the caches. Refused before
		 * the parent is even looked at; the parent still translates.
		 */
		ASSERT_EQ(-1, viommu_alloc(&self->v, alloc.out_hwpt_id, &vsmmu[0],
					   NULL, 0));
		ASSERT_EQ(EOPNOTSUPP, errno);
		ASSERT_EQ(-1, viommu_alloc(&self->v, 0, &vsmmu[0], NULL, 0));
		ASSERT_EQ(EOPNOTSUPP, errno);
		attach.pt_id = alloc.out_hwpt_id;
		ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
				   &attach));
		memset(self->buf[0], 0x6b, PSZ);
		ASSERT_EQ(0, ioas_map(&self->v, self->buf[0], IOVA_A, RW));
		ASSERT_EQ(0, ioas_map(&self->v, self->buf[1], IOVA_B, RW));
		ASSERT_EQ(0, edu_dma(&self->v, IOVA_A, EDU_BUF, PSZ, 0));
		ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
		ASSERT_TRUE(all_bytes(self->buf[1], 0x6b));
		attach.pt_id = self->v.ioas_id;
		ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
				   &attach));
		ASSERT_EQ(0, destroy(&self->v, alloc.out_hwpt_id));
		return;
	}
	/* Not on a parent that is not one */
	ASSERT_EQ(-1, viommu_alloc(&self->v, self->v.hwpt_id, &vsmmu[0], NULL, 0));
	ASSERT_EQ(EINVAL, errno);
	/* No driver data is defined for the SMMUv3 type */
	ASSERT_EQ(-1, viommu_alloc(&self->v, alloc.out_hwpt_id, &vsmmu[0], &data,
				   sizeof(data)));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, viommu_alloc(&self->v, alloc.out_hwpt_id, &vsmmu[0], NULL, 0))
		TH_LOG("VIOMMU_ALLOC: %s", strerror(errno));
	ASSERT_EQ(0, viommu_alloc(&self->v, alloc.out_hwpt_id, &vsmmu[1], NULL, 0));
	ASSERT_NE(vsmmu[0], vsmmu[1]);

	/* DMA through the shared parent, its invalidations reaching both VMIDs */
	attach.pt_id = alloc.out_hwpt_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	memset(self->buf[0], 0x6c, PSZ);
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(&self->v, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(&self->v, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x6c));
	ASSERT_EQ(0, ioas_unmap(&self->v, IOVA_B));
	load_device(_metadata, self, 0x6d);
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x6c));

	/* The vSMMUs hold the parent */
	attach.pt_id = self->v.ioas_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(-1, destroy(&self->v, alloc.out_hwpt_id));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(0, destroy(&self->v, vsmmu[0]));
	ASSERT_EQ(0, destroy(&self->v, vsmmu[1]));
	ASSERT_EQ(0, destroy(&self->v, alloc.out_hwpt_id));
}
#endif

#ifdef IOMMU_VDEVICE_ALLOC
/*
 * A domain of another IOMMU driver (the iommufd selftest's mock) is refused
 * when named, and skipped when an IOAS holds one: the device gets a domain of
 * its own IOMMU, through which its DMA lands. The kernel once replaced the
 * device's domain with the mock's, whose attach says yes to any device, and
 * freed the real domain under the device.
 */
TEST_F(edu, other_iommu_domain_refused)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at) };
	struct iommu_test_cmd mock = {
		.size = sizeof(mock),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
	};
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.length = PSZ,
		.iova = IOVA_A,
	};

	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_IOAS_ALLOC, &alloc));
	map.ioas_id = alloc.out_ioas_id;
	map.user_va = (uintptr_t)self->buf[0];
	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_IOAS_MAP, &map));
	/* A mock device on that IOAS: its automatic domain is the mock's */
	mock.id = alloc.out_ioas_id;
	ASSERT_EQ(0, ioctl(self->v.iommufd, IOMMU_TEST_CMD, &mock))
		TH_LOG("MOCK_DOMAIN: %s", strerror(errno));

	ASSERT_EQ(-1, attach_pt(&self->v, mock.mock_domain.out_hwpt_id));
	ASSERT_EQ(EINVAL, errno);

	/* The bytes to write, while the device is still on its first IOAS */
	load_device(_metadata, self, 0x6b);
	at.pt_id = alloc.out_ioas_id;
	ASSERT_EQ(0, ioctl(self->v.devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at))
		TH_LOG("attach to the mock's IOAS: %s", strerror(errno));
	ASSERT_NE(mock.mock_domain.out_hwpt_id, at.pt_id);
	ASSERT_NE(self->v.hwpt_id, at.pt_id);
	ASSERT_EQ(0, edu_dma(&self->v, EDU_BUF, IOVA_A, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x6b));

	/* Back to the first IOAS: the mock device keeps its own domain */
	ASSERT_EQ(0, attach_pt(&self->v, self->v.ioas_id));
	ASSERT_EQ(0, destroy(&self->v, mock.mock_domain.out_stdev_id));
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A guest's own stage 1 over the VM's stage 2, on two vSMMUs that share it:
 * the device DMAs to guest VAs, the bytes land where both stages say, the
 * guest's invalidations through its vSMMU take effect, and an IOAS unmap
 * reaches the VMID of each vSMMU. The steps a VMM takes are vmm.h's, which
 * 'make run' prints; the refusals around them are checked here.
 */
TEST_F(edu, vsmmu_nested_dma)
{
	const uint64_t s1_ste0 = STE0_V | STE0_CFG_S1 | ipa_table(0);
	const char *mode = getenv("IOMMUTEST_MODE");
	struct vmm *v = &self->v;
	__u32 bypass, abort_id, bad, done, invalid;
	struct vsmmu_cmd cmds[3], *many;
	unsigned long long t0, t1, t2;
	struct guest_mem *g;
	struct nest n;
	int i;

	if (!mode || !mode_vsmmu())
		SKIP(return, "needs an SMMUv3 that nests, with a CANWBS root complex");

	ASSERT_EQ(0, nest_setup(v, &n)) TH_LOG("%s", v->err);
	g = &n.g;

	/* A guest STE with a field it may not set, or stage 2 of its own */
	ASSERT_EQ(-1, vsmmu_hwpt(v, n.vsmmu[0], s1_ste0, 1ULL << 30, &bad));
	ASSERT_EQ(EIO, errno);
	ASSERT_EQ(-1, vsmmu_hwpt(v, n.vsmmu[0], STE0_V | (6ULL << 1), 0, &bad));
	ASSERT_EQ(EIO, errno);

	/* Abort and bypass STEs work before the VMM knows the vSID */
	ASSERT_EQ(0, vsmmu_hwpt(v, n.vsmmu[0], STE0_V | STE0_CFG_BYPASS, 0,
				&bypass));
	ASSERT_EQ(0, vsmmu_hwpt(v, n.vsmmu[0], STE0_V | STE0_CFG_ABORT, 0,
				&abort_id));
	ASSERT_EQ(0, attach_pt(v, bypass));
	memset(g->src, 0x70, PSZ);
	ASSERT_EQ(0, edu_dma(v, IPA_SRC, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(v, EDU_BUF, IPA_A, PSZ, 1));
	ASSERT_TRUE(all_bytes(g->a, 0x70));	/* stage 2 alone */
	ASSERT_EQ(0, attach_pt(v, abort_id));
	memset(g->src, 0x6f, PSZ);
	ASSERT_EQ(0, edu_dma(v, IPA_SRC, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(v, EDU_BUF, IPA_A, PSZ, 1));
	ASSERT_TRUE(all_bytes(g->a, 0x70));	/* nothing got through */

	/* An STE that is not valid aborts, whatever else it holds */
	ASSERT_EQ(0, vsmmu_hwpt(v, n.vsmmu[0], ~STE0_V, ~0ULL, &invalid))
		TH_LOG("V = 0: %s", strerror(errno));
	ASSERT_EQ(0, attach_pt(v, invalid));
	ASSERT_EQ(0, edu_dma(v, IPA_SRC, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(v, EDU_BUF, IPA_A, PSZ, 1));
	ASSERT_TRUE(all_bytes(g->a, 0x70));
	ASSERT_EQ(0, attach_pt(v, abort_id));
	ASSERT_EQ(0, destroy(v, invalid));

	/* Stage 1 of the guest: VA_DST -> IPA_A; no attach before the vDEVICE */
	ASSERT_EQ(0, nest_guest_s1(v, &n, 0)) TH_LOG("%s", v->err);
	ASSERT_EQ(-1, attach_pt(v, n.s1[0]));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(0, nest_plug(v, &n, 0, VSID0, 0)) TH_LOG("%s", v->err);
	ASSERT_TRUE(all_bytes(g->b, 0));

	/* The guest remaps VA_DST to IPA_B: stale until it invalidates */
	ASSERT_EQ(0, nest_remap(v, &n)) TH_LOG("%s", v->err);

	/* Commands the guest may not send, and a vSID it has no device at */
	cmds[0] = cmd(OP_TLBI_NH_ALL, 0, 0);
	cmds[1] = cmd(OP_CFGI_STE, (uint64_t)VSID0 << 32, 1);
	ASSERT_EQ(-1, vsmmu_cmds(v, n.vsmmu[0], cmds, 2, &done));
	ASSERT_EQ(EIO, errno);
	ASSERT_EQ(1, done);
	cmds[0] = cmd(OP_CFGI_CD, (uint64_t)(VSID0 + 1) << 32, 1);
	ASSERT_EQ(-1, vsmmu_cmds(v, n.vsmmu[0], cmds, 1, &done));
	ASSERT_EQ(EIO, errno);
	ASSERT_EQ(0, done);
	ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[0], cmds, 0, &done));

	/* Long arrays go in batches; a bad entry past the first ones stops them */
	many = calloc(200, sizeof(*many));
	ASSERT_NE(NULL, many);
	for (i = 0; i < 200; i++)
		many[i] = cmd(OP_TLBI_NH_VA, 1ULL << 48, (VA_SRC + i * PSZ) | 1);
	ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[0], many, 200, &done));
	ASSERT_EQ(200, done);
	many[150] = cmd(OP_CFGI_STE, (uint64_t)VSID0 << 32, 1);
	ASSERT_EQ(-1, vsmmu_cmds(v, n.vsmmu[0], many, 200, &done));
	ASSERT_EQ(EIO, errno);
	ASSERT_EQ(150, done);
	many[150] = many[149];

	/* Around the boundaries of the 63-command batches */
	for (i = 0; i < 7; i++) {
		static const int at[] = { 61, 62, 63, 64, 125, 126, 127 };
		struct vsmmu_cmd good = many[at[i]];

		many[at[i]] = cmd(OP_CFGI_STE, (uint64_t)VSID0 << 32, 1);
		ASSERT_EQ(-1, vsmmu_cmds(v, n.vsmmu[0], many, 200, &done));
		ASSERT_EQ(EIO, errno);
		ASSERT_EQ(at[i], done) TH_LOG("bad command at %d", at[i]);
		many[at[i]] = good;
	}
	for (i = 62; i <= 64; i++) {
		ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[0], many, i, &done));
		ASSERT_EQ(i, done);
	}

	/*
	 * A fault part way: the array ends 70 commands into the last mapped
	 * page, so the second batch is cut short after 7 of its commands
	 */
	{
		uint8_t *hole = mmap(NULL, 2 * PSZ, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct vsmmu_cmd *end;

		ASSERT_NE(MAP_FAILED, hole);
		ASSERT_EQ(0, munmap(hole + PSZ, PSZ));
		end = (struct vsmmu_cmd *)(hole + PSZ);
		memcpy(end - 70, many, 70 * sizeof(*many));
		ASSERT_EQ(-1, vsmmu_cmds(v, n.vsmmu[0], end - 70, 100, &done));
		ASSERT_EQ(EFAULT, errno);
		ASSERT_EQ(70, done);
		munmap(hole, PSZ);
	}

	/*
	 * Entries of other lengths, as upstream Linux takes them: a shorter
	 * one is zero-filled, a longer one needs a zero tail
	 */
	{
		__le64 half[3] = { htole64(OP_TLBI_NH_ALL),
				   htole64(OP_TLBI_NSNH_ALL),
				   htole64(OP_TLBI_NH_ALL) };
		struct { struct vsmmu_cmd c; __le64 tail; } longer[2] = {
			{ cmd(OP_TLBI_NH_ALL, 0, 0), 0 },
			{ cmd(OP_TLBI_NSNH_ALL, 0, 0), 0 },
		};

		ASSERT_EQ(0, vsmmu_cmds_len(v, n.vsmmu[0], half,
					    sizeof(half[0]), 3, &done));
		ASSERT_EQ(3, done);
		ASSERT_EQ(0, vsmmu_cmds_len(v, n.vsmmu[0], longer,
					    sizeof(longer[0]), 2, &done));
		ASSERT_EQ(2, done);
		longer[1].tail = htole64(1);
		ASSERT_EQ(-1, vsmmu_cmds_len(v, n.vsmmu[0], longer,
					     sizeof(longer[0]), 2, &done));
		ASSERT_EQ(E2BIG, errno);
		ASSERT_EQ(1, done);
	}

	/* An ATC_INV for this device, which has no ATS: done, nothing to do */
	cmds[0] = cmd(OP_ATC_INV, (uint64_t)VSID0 << 32, 0);
	cmds[1] = cmd(OP_CFGI_CD, (uint64_t)VSID0 << 32, 1);
	ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[0], cmds, 2, &done));
	ASSERT_EQ(2, done);

	/*
	 * What the batches save: the same 200 commands one per call. Printed
	 * for the record, not judged: under TCG a CMD_SYNC costs what QEMU
	 * makes it cost.
	 */
	t0 = now_ns();
	ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[0], many, 200, &done));
	t1 = now_ns();
	for (i = 0; i < 200; i++)
		ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[0], &many[i], 1, &done));
	t2 = now_ns();
	TH_LOG("200 TLBI_NH_VA: %llu ns each in one call, %llu ns each one per call (%.1fx)",
	       (t1 - t0) / 200, (t2 - t1) / 200,
	       (double)(t2 - t1) / (double)(t1 - t0));
	free(many);

	/*
	 * The guest points its CD at tables 4-6 (VA_DST -> IPA_C). The SMMU
	 * rereads the CD only for a CFGI_CD of the device's real StreamID,
	 * which the kernel put in place of the vSID.
	 */
	guest_map(g, 4, IPA_C);
	guest_cd(g, 4);
	cmds[0] = cmd(OP_CFGI_CD, (uint64_t)VSID0 << 32, 1);
	cmds[1] = cmd(OP_TLBI_NSNH_ALL, 0, 0);
	ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[0], cmds, 2, &done));
	ASSERT_EQ(2, done);
	ASSERT_EQ(0, nest_dma(v, &n, "DMA after the CD change", 2))
		TH_LOG("%s", v->err);

	/* The VMM unmaps IPA_C: the entries of this vSMMU's VMID go too */
	ASSERT_EQ(0, nest_unmap_stops(v, &n, IPA_C)) TH_LOG("%s", v->err);

	/* A vSMMU with a vDEVICE and a nested HWPT on it stays */
	ASSERT_EQ(-1, destroy(v, n.vsmmu[0]));
	ASSERT_EQ(EBUSY, errno);

	/*
	 * The device moves to the second vSMMU, back on tables 1-3 (IPA_B);
	 * the first, its vDEVICE gone, still holds the guest's stage 1
	 */
	ASSERT_EQ(0, nest_move(v, &n)) TH_LOG("%s", v->err);
	ASSERT_EQ(-1, destroy(v, n.vsmmu[0]));
	ASSERT_EQ(EBUSY, errno);

	/* The vSID is the second vSMMU's now, not the first's */
	cmds[0] = cmd(OP_CFGI_CD, (uint64_t)VSID0 << 32, 1);
	ASSERT_EQ(-1, vsmmu_cmds(v, n.vsmmu[1], cmds, 1, &done));
	ASSERT_EQ(EIO, errno);
	cmds[0] = cmd(OP_CFGI_CD, (uint64_t)VSID1 << 32, 1);
	ASSERT_EQ(-1, vsmmu_cmds(v, n.vsmmu[0], cmds, 1, &done));
	ASSERT_EQ(EIO, errno);
	ASSERT_EQ(0, vsmmu_cmds(v, n.vsmmu[1], cmds, 1, &done));

	/* An unmap of the shared stage 2 reaches the second VMID as well */
	ASSERT_EQ(0, nest_unmap_stops(v, &n, IPA_B)) TH_LOG("%s", v->err);

	ASSERT_EQ(0, attach_pt(v, n.parent));
	ASSERT_EQ(0, destroy(v, bypass));
	ASSERT_EQ(0, destroy(v, abort_id));
	ASSERT_EQ(0, nest_teardown(v, &n)) TH_LOG("%s", v->err);
}

/*
 * A vSMMU gives its VMID back only once the SMMU's TLB holds nothing of it:
 * the next vSMMU gets the same VMID (the SMMU hands out the lowest free one),
 * and its guest, with the same ASID and VA as the last one's, must not hit
 * what the last one's DMA left in the TLB. Nothing else flushes that VMID
 * in between: no IOAS unmap, and an STE change only drops the SMMU's
 * configuration caches.
 */
TEST_F(edu, vsmmu_vmid_reuse_starts_clean)
{
	const uint64_t s1_ste0 = STE0_V | STE0_CFG_S1 | ipa_table(0);
	struct vmm *v = &self->v;
	__u32 vsmmu, vdev, s1;
	struct nest n;
	int round;

	if (!mode_vsmmu())
		SKIP(return, "needs an SMMUv3 that nests, with a CANWBS root complex");

	ASSERT_EQ(0, nest_ram(v, &n)) TH_LOG("%s", v->err);
	ASSERT_EQ(0, nest_parent(v, &n)) TH_LOG("%s", v->err);
	for (round = 0; round < 2; round++) {
		/* Round 0 maps VA_DST to IPA_A, round 1 to IPA_B, same ASID */
		guest_map(&n.g, 1 + 3 * round, round ? IPA_B : IPA_A);
		guest_cd(&n.g, 1 + 3 * round);
		ASSERT_EQ(0, viommu_alloc(v, n.parent, &vsmmu, NULL, 0));
		ASSERT_EQ(0, vdevice(v, vsmmu, VSID0, &vdev));
		ASSERT_EQ(0, vsmmu_hwpt(v, vsmmu, s1_ste0, STE1_S1_ATTRS, &s1));
		ASSERT_EQ(0, attach_pt(v, s1));
		/* Only where the tables say: not where the last guest's went */
		ASSERT_EQ(0, nest_dma(v, &n, "DMA of a new vSMMU", round))
			TH_LOG("round %d: %s", round, v->err);

		/* Unplug as a VMM does; the vSMMU goes last */
		ASSERT_EQ(0, attach_pt(v, n.parent));
		ASSERT_EQ(0, destroy(v, s1));
		ASSERT_EQ(0, destroy(v, vdev));
		ASSERT_EQ(0, destroy(v, vsmmu));
	}
	ASSERT_EQ(0, nest_teardown(v, &n)) TH_LOG("%s", v->err);
}
#endif

TEST_HARNESS_MAIN
