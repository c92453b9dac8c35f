// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end DMA through a real (emulated) IOMMU: QEMU's "edu" PCI device is
 * bound to vfio-pci, attached to an iommufd IOAS through the vfio cdev, and
 * made to copy bytes between its internal buffer and IOAS-mapped memory. The
 * bytes must land exactly where the IOAS mapping says, and nowhere once the
 * mapping is gone or read-only.
 *
 * IOMMUTEST_MODE names the IOMMU configuration QEMU was started with (legacy,
 * sm, flts for VT-d; smmuv3 or smmuv3-s1 for arm64) and is checked against
 * GET_HW_INFO and against what HWPT_ALLOC offers.
 */
#include <dirent.h>
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
#include <linux/vfio.h>

#include "kselftest_harness.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_START	0x1
#define EDU_CMD_TO_MEM	0x2
#define EDU_BUF		0x40000	/* the device's own 4 KiB buffer */

/* The device masks bus addresses to 28 bits: stay below 256 MiB */
#define IOVA_A		0x01000000ULL
#define IOVA_B		0x02340000ULL
#define PSZ		4096

/* VT-d extended capability bits (VT-d spec 11.4.3) */
#define ECAP_SMTS	(1ULL << 43)
#define ECAP_SLTS	(1ULL << 46)
#define ECAP_FLTS	(1ULL << 47)

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
#define IDR0_VMID16	(1U << 18)
#define IDR0_ST_LVL	(3U << 27)
#define IDR1_SIDSIZE	0x3fU
#define IDR5_GRAN4K	(1U << 4)

static int sysfs_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	int ret;

	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

/* Find the edu device, bind it to vfio-pci, return its vfio cdev path */
static int edu_find_cdev(char *cdev, size_t len)
{
	char dir[300], buf[64], vdir[400], path[400];
	struct dirent *de;
	DIR *d, *v;
	int found = 0;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return -1;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", de->d_name);
		if (sysfs_read(dir, "vendor", buf, sizeof(buf)) ||
		    strtoul(buf, NULL, 0) != EDU_VENDOR ||
		    sysfs_read(dir, "device", buf, sizeof(buf)) ||
		    strtoul(buf, NULL, 0) != EDU_DEVICE)
			continue;
		found = 1;
	}
	closedir(d);
	if (!found)
		return -1;

	snprintf(vdir, sizeof(vdir), "%s/vfio-dev", dir);
	if (access(vdir, F_OK)) {
		snprintf(path, sizeof(path), "%s/driver_override", dir);
		if (sysfs_write(path, "vfio-pci") ||
		    sysfs_write("/sys/bus/pci/drivers_probe", strrchr(dir, '/') + 1))
			return -1;
	}
	v = opendir(vdir);
	if (!v)
		return -1;
	found = 0;
	while (!found && (de = readdir(v))) {
		if (!strncmp(de->d_name, "vfio", 4)) {
			snprintf(cdev, len, "/dev/vfio/devices/%s", de->d_name);
			found = 1;
		}
	}
	closedir(v);
	return found ? 0 : -1;
}

FIXTURE(edu)
{
	int iommufd;
	int devfd;
	__u32 dev_id;
	__u32 ioas_id;
	__u32 hwpt_id;
	volatile uint8_t *bar;
	size_t bar_size;
	uint8_t *buf[3];
};

static uint32_t rd32(FIXTURE_DATA(edu) *self, unsigned int off)
{
	return *(volatile uint32_t *)(self->bar + off);
}

static void wr64(FIXTURE_DATA(edu) *self, unsigned int off, uint64_t val)
{
	*(volatile uint64_t *)(self->bar + off) = val;
}

/* Run one transfer; returns 0 once the device reports it complete */
static int edu_dma(FIXTURE_DATA(edu) *self, uint64_t src, uint64_t dst,
		   uint64_t len, int to_mem)
{
	int i;

	wr64(self, EDU_DMA_SRC, src);
	wr64(self, EDU_DMA_DST, dst);
	wr64(self, EDU_DMA_CNT, len);
	wr64(self, EDU_DMA_CMD, EDU_CMD_START | (to_mem ? EDU_CMD_TO_MEM : 0));
	for (i = 0; i < 5000; i++) {
		if (!(rd32(self, EDU_DMA_CMD) & EDU_CMD_START))
			return 0;
		usleep(1000);
	}
	return -1;
}

static int ioas_map(FIXTURE_DATA(edu) *self, void *va, uint64_t iova,
		    uint32_t prot)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | prot,
		.ioas_id = self->ioas_id,
		.user_va = (uintptr_t)va,
		.length = PSZ,
		.iova = iova,
	};

	return ioctl(self->iommufd, IOMMU_IOAS_MAP, &map);
}

static int ioas_unmap(FIXTURE_DATA(edu) *self, uint64_t iova)
{
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = self->ioas_id,
		.iova = iova,
		.length = PSZ,
	};

	return ioctl(self->iommufd, IOMMU_IOAS_UNMAP, &unmap);
}

#define RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)

/* Put @pattern into the device buffer by DMA from a mapped page */
static void load_device(struct __test_metadata *_metadata,
			FIXTURE_DATA(edu) *self, uint8_t pattern)
{
	memset(self->buf[2], pattern, PSZ);
	ASSERT_EQ(0, ioas_map(self, self->buf[2], IOVA_A + 0x100000, RW));
	ASSERT_EQ(0, edu_dma(self, IOVA_A + 0x100000, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, ioas_unmap(self, IOVA_A + 0x100000));
}

static int all_bytes(const uint8_t *p, uint8_t val)
{
	int i;

	for (i = 0; i < PSZ; i++)
		if (p[i] != val)
			return 0;
	return 1;
}

FIXTURE_SETUP(edu)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	char cdev[300];
	uint16_t cmd;
	int i;

	if (edu_find_cdev(cdev, sizeof(cdev))) {
		const char *mode = getenv("IOMMUTEST_MODE");

		/* Under the harness the device is always there: its absence fails */
		ASSERT_TRUE(!mode || !strcmp(mode, "none"))
			TH_LOG("no edu device bound to vfio-pci in mode %s", mode);
		SKIP(return, "no edu device (start QEMU with -device edu)");
	}

	self->iommufd = open("/dev/iommu", O_RDWR);
	ASSERT_LE(0, self->iommufd);
	self->devfd = open(cdev, O_RDWR);
	ASSERT_LE(0, self->devfd) TH_LOG("%s: %s", cdev, strerror(errno));

	bind.iommufd = self->iommufd;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		TH_LOG("VFIO_DEVICE_BIND_IOMMUFD: %s", strerror(errno));
	self->dev_id = bind.out_devid;
	ASSERT_EQ(0, ioctl(self->iommufd, IOMMU_IOAS_ALLOC, &alloc));
	self->ioas_id = alloc.out_ioas_id;
	attach.pt_id = self->ioas_id;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		TH_LOG("VFIO_DEVICE_ATTACH_IOMMUFD_PT: %s", strerror(errno));
	self->hwpt_id = attach.pt_id;

	/* Bus mastering on, through the config space region */
	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_GET_REGION_INFO, &reg));
	ASSERT_EQ(2, pread(self->devfd, &cmd, 2, reg.offset + 4));
	cmd |= 0x4;
	ASSERT_EQ(2, pwrite(self->devfd, &cmd, 2, reg.offset + 4));

	reg.index = VFIO_PCI_BAR0_REGION_INDEX;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_GET_REGION_INFO, &reg));
	ASSERT_TRUE(reg.flags & VFIO_REGION_INFO_FLAG_MMAP);
	self->bar_size = reg.size;
	self->bar = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->devfd, reg.offset);
	ASSERT_NE(MAP_FAILED, self->bar);
	ASSERT_EQ(0x010000ed, rd32(self, EDU_ID));
	*(volatile uint32_t *)(self->bar + EDU_LIVENESS) = 0x12345678;
	ASSERT_EQ(~0x12345678u, rd32(self, EDU_LIVENESS));

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
	if (self->bar && self->bar != MAP_FAILED)
		munmap((void *)self->bar, self->bar_size);
	if (self->devfd > 0)
		close(self->devfd);
	if (self->iommufd > 0)
		close(self->iommufd);
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
		.dev_id = self->dev_id,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)&data,
	};
	const char *mode = getenv("IOMMUTEST_MODE");

	ASSERT_EQ(0, ioctl(self->iommufd, IOMMU_GET_HW_INFO, &info));
	if (!mode || !strcmp(mode, "none"))
		SKIP(return, "IOMMUTEST_MODE not set");
	if (!strcmp(mode, "smmuv3") || !strcmp(mode, "smmuv3-s1")) {
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
		/* The host's own configuration is masked, whatever QEMU has */
		ASSERT_EQ(0, idr[0] & (IDR0_S2P | IDR0_VMID16 | IDR0_ST_LVL));
		ASSERT_EQ(0, idr[1] & IDR1_SIDSIZE);
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
}

/* Memory -> device -> memory: the bytes land in the page mapped at the IOVA */
TEST_F(edu, dma_lands_in_mapping)
{
	memset(self->buf[0], 0x5a, PSZ);
	ASSERT_EQ(0, ioas_map(self, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(self, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(self, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x5a));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x5a));

	/* A partial transfer at an offset touches only those bytes */
	memset(self->buf[1], 0, PSZ);
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B + 256, 512, 1));
	ASSERT_EQ(0, self->buf[1][255]);
	ASSERT_EQ(0x5a, self->buf[1][256]);
	ASSERT_EQ(0x5a, self->buf[1][767]);
	ASSERT_EQ(0, self->buf[1][768]);
}

/* After unmap + map of another page at the same IOVA, DMA follows the IOAS */
TEST_F(edu, remap_follows_ioas)
{
	load_device(_metadata, self, 0x11);
	ASSERT_EQ(0, ioas_map(self, self->buf[0], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x11));

	ASSERT_EQ(0, ioas_unmap(self, IOVA_B));
	ASSERT_EQ(0, ioas_map(self, self->buf[1], IOVA_B, RW));
	load_device(_metadata, self, 0x22);
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x22));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x11));
}

/* Once unmapped, the old page is unreachable: the write faults in the IOMMU */
TEST_F(edu, unmapped_iova_faults)
{
	load_device(_metadata, self, 0x33);
	ASSERT_EQ(0, ioas_map(self, self->buf[0], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x33));

	ASSERT_EQ(0, ioas_unmap(self, IOVA_B));
	load_device(_metadata, self, 0x44);
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x33));
}

/* A read-only mapping can be read by the device but not written */
TEST_F(edu, readonly_mapping)
{
	memset(self->buf[0], 0x66, PSZ);
	ASSERT_EQ(0, ioas_map(self, self->buf[0], IOVA_A, IOMMU_IOAS_MAP_READABLE));
	ASSERT_EQ(0, ioas_map(self, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(self, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x66));

	load_device(_metadata, self, 0x77);
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_A, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[0], 0x66));
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
		.dev_id = self->dev_id,
		.pt_id = self->ioas_id,
	};
	const char *mode = getenv("IOMMUTEST_MODE");
	int rc;

	if (!mode || !strcmp(mode, "none"))
		SKIP(return, "IOMMUTEST_MODE not set");
	rc = ioctl(self->iommufd, IOMMU_HWPT_ALLOC, &alloc);
	if (strncmp(mode, "smmuv3", 6)) {
		/* QEMU's VT-d never offers nesting */
		ASSERT_EQ(-1, rc);
		ASSERT_EQ(EOPNOTSUPP, errno);
		return;
	}
	ASSERT_EQ(0, rc) TH_LOG("NEST_PARENT: %s", strerror(errno));

	attach.pt_id = alloc.out_hwpt_id;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		TH_LOG("attach to the nesting parent: %s", strerror(errno));

	/* The mappings of the IOAS reach the parent: DMA lands through it */
	memset(self->buf[0], 0x5c, PSZ);
	ASSERT_EQ(0, ioas_map(self, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(self, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(self, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x5c));

	/* And the unmap does too: the old page stays untouched */
	ASSERT_EQ(0, ioas_unmap(self, IOVA_B));
	load_device(_metadata, self, 0x5d);
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x5c));

	/* Back to the automatic domain, so the parent can go */
	attach.pt_id = self->ioas_id;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(0, ioctl(self->iommufd, IOMMU_DESTROY,
			   &(struct iommu_destroy){ .size = sizeof(struct iommu_destroy),
						    .id = alloc.out_hwpt_id }));
}

#ifdef IOMMU_VIOMMU_ALLOC
#define VIOMMU_TYPE_ARM_SMMUV3	1

static int viommu_alloc(FIXTURE_DATA(edu) *self, __u32 hwpt_id, __u32 *id,
			void *data, __u32 data_len)
{
	struct iommu_viommu_alloc cmd = {
		.size = sizeof(cmd),
		.type = VIOMMU_TYPE_ARM_SMMUV3,
		.dev_id = self->dev_id,
		.hwpt_id = hwpt_id,
		.data_len = data_len,
		.data_uptr = (uintptr_t)data,
	};
	int rc = ioctl(self->iommufd, IOMMU_VIOMMU_ALLOC, &cmd);

	*id = cmd.out_viommu_id;
	return rc;
}

static int destroy(FIXTURE_DATA(edu) *self, __u32 id)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	return ioctl(self->iommufd, IOMMU_DESTROY, &cmd);
}

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
		.dev_id = self->dev_id,
		.pt_id = self->ioas_id,
	};
	const char *mode = getenv("IOMMUTEST_MODE");
	__u32 vsmmu[2], data = 0;

	if (!mode || !strcmp(mode, "none"))
		SKIP(return, "IOMMUTEST_MODE not set");
	if (strncmp(mode, "smmuv3", 6)) {
		ASSERT_EQ(-1, viommu_alloc(self, self->hwpt_id, &vsmmu[0], NULL, 0));
		ASSERT_EQ(EOPNOTSUPP, errno);
		return;
	}

	ASSERT_EQ(0, ioctl(self->iommufd, IOMMU_HWPT_ALLOC, &alloc));
	/* Not on a parent that is not one */
	ASSERT_EQ(-1, viommu_alloc(self, self->hwpt_id, &vsmmu[0], NULL, 0));
	ASSERT_EQ(EINVAL, errno);
	/* No driver data is defined for the SMMUv3 type */
	ASSERT_EQ(-1, viommu_alloc(self, alloc.out_hwpt_id, &vsmmu[0], &data,
				   sizeof(data)));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, viommu_alloc(self, alloc.out_hwpt_id, &vsmmu[0], NULL, 0))
		TH_LOG("VIOMMU_ALLOC: %s", strerror(errno));
	ASSERT_EQ(0, viommu_alloc(self, alloc.out_hwpt_id, &vsmmu[1], NULL, 0));
	ASSERT_NE(vsmmu[0], vsmmu[1]);

	/* DMA through the shared parent, its invalidations reaching both VMIDs */
	attach.pt_id = alloc.out_hwpt_id;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	memset(self->buf[0], 0x6c, PSZ);
	ASSERT_EQ(0, ioas_map(self, self->buf[0], IOVA_A, RW));
	ASSERT_EQ(0, ioas_map(self, self->buf[1], IOVA_B, RW));
	ASSERT_EQ(0, edu_dma(self, IOVA_A, EDU_BUF, PSZ, 0));
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x6c));
	ASSERT_EQ(0, ioas_unmap(self, IOVA_B));
	load_device(_metadata, self, 0x6d);
	ASSERT_EQ(0, edu_dma(self, EDU_BUF, IOVA_B, PSZ, 1));
	ASSERT_TRUE(all_bytes(self->buf[1], 0x6c));

	/* The vSMMUs hold the parent */
	attach.pt_id = self->ioas_id;
	ASSERT_EQ(0, ioctl(self->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach));
	ASSERT_EQ(-1, destroy(self, alloc.out_hwpt_id));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(0, destroy(self, vsmmu[0]));
	ASSERT_EQ(0, destroy(self, vsmmu[1]));
	ASSERT_EQ(0, destroy(self, alloc.out_hwpt_id));
}
#endif

TEST_HARNESS_MAIN
