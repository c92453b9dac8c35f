/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a VMM does with QEMU's edu device, in steps that both the end-to-end
 * test (edu_dma.c) and the 'make run' report (demo.c) take: the test asserts
 * each step, the report prints it, with the object IDs it made and, for each
 * DMA, where each stage of translation sends the address and where the bytes
 * were found. One copy of the steps, so the report shows what the test
 * proves.
 *
 * A step returns 0, or -1 with the failure in words in vmm->err (the call and
 * its errno name, or what was found instead of what was expected).
 */
#ifndef VMM_H
#define VMM_H

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_START	0x1
#define EDU_CMD_TO_MEM	0x2
#define EDU_BUF		0x40000	/* the device's own 4 KiB buffer */

#define IOVA_A		0x01000000ULL
#define IOVA_B		0x02340000ULL
#define PSZ		4096

#define RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)

struct vmm {
	int iommufd;
	int devfd;
	__u32 dev_id;
	__u32 ioas_id;
	__u32 hwpt_id;		/* the automatic domain of the first attach */
	volatile uint8_t *bar;
	size_t bar_size;
	FILE *out;		/* where steps are printed: NULL in the test */
	int steps;
	int failed;
	char err[256];		/* the first failure, in words */
};

static inline const char *errname(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" },
		{ ENOTTY, "ENOTTY" }, { EOVERFLOW, "EOVERFLOW" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EADDRINUSE, "EADDRINUSE" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EAGAIN, "EAGAIN" },
		{ EINTR, "EINTR" }, { ENOSYS, "ENOSYS" }, { EMSGSIZE, "EMSGSIZE" },
		{ ESPIPE, "ESPIPE" }, { EBADFD, "EBADFD" },
	};
	static char other[16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof(other), "errno %d", err);
	return other;
}

/*
 * One step: @rc 0 is success, else the failure is @err (an errno, or 0 for
 * a check that found something else, said in @fmt). Printed as a numbered
 * line when reporting.
 */
static inline int __attribute__((format(printf, 5, 6)))
vmm_step(struct vmm *v, int rc, int err, const char *what, const char *fmt, ...)
{
	char detail[200] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	v->steps++;
	if (rc && !v->failed++) {
		if (err)
			snprintf(v->err, sizeof(v->err), "%s: %s (%s)%s%s", what,
				 errname(err), strerror(err), detail[0] ? ", " : "",
				 detail);
		else
			snprintf(v->err, sizeof(v->err), "%s: %s", what, detail);
	}
	/* The next step's errno is its own calls', not one left over */
	errno = 0;
	if (v->out) {
		fprintf(v->out, "%3d  %-4s  %s%s%s", v->steps, rc ? "FAIL" : "ok",
			what, detail[0] ? ": " : "", detail);
		if (rc && err)
			fprintf(v->out, ": %s (%s)", errname(err), strerror(err));
		fputc('\n', v->out);
	}
	return rc ? -1 : 0;
}

/* A line of the report that is not a step */
static inline void __attribute__((format(printf, 2, 3)))
vmm_say(struct vmm *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->out)
		return;
	fputs("           ", v->out);
	va_start(ap, fmt);
	vfprintf(v->out, fmt, ap);
	va_end(ap);
	fputc('\n', v->out);
}

/* ioctl() returning 0 or the errno */
static inline int vmm_ioctl(int fd, unsigned long nr, void *arg)
{
	return ioctl(fd, nr, arg) ? errno : 0;
}

static inline uint32_t rd32(struct vmm *v, unsigned int off)
{
	return *(volatile uint32_t *)(v->bar + off);
}

static inline void wr64(struct vmm *v, unsigned int off, uint64_t val)
{
	*(volatile uint64_t *)(v->bar + off) = val;
}

/* Run one transfer; returns 0 once the device reports it complete */
static inline int edu_dma(struct vmm *v, uint64_t src, uint64_t dst, uint64_t len,
		   int to_mem)
{
	int i;

	wr64(v, EDU_DMA_SRC, src);
	wr64(v, EDU_DMA_DST, dst);
	wr64(v, EDU_DMA_CNT, len);
	wr64(v, EDU_DMA_CMD, EDU_CMD_START | (to_mem ? EDU_CMD_TO_MEM : 0));
	for (i = 0; i < 5000; i++) {
		if (!(rd32(v, EDU_DMA_CMD) & EDU_CMD_START))
			return 0;
		usleep(1000);
	}
	return -1;
}

static inline int ioas_map(struct vmm *v, void *va, uint64_t iova, uint32_t prot)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | prot,
		.ioas_id = v->ioas_id,
		.user_va = (uintptr_t)va,
		.length = PSZ,
		.iova = iova,
	};

	return ioctl(v->iommufd, IOMMU_IOAS_MAP, &map);
}

static inline int ioas_unmap(struct vmm *v, uint64_t iova)
{
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap),
		.ioas_id = v->ioas_id,
		.iova = iova,
		.length = PSZ,
	};

	return ioctl(v->iommufd, IOMMU_IOAS_UNMAP, &unmap);
}

static inline int destroy(struct vmm *v, __u32 id)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	return ioctl(v->iommufd, IOMMU_DESTROY, &cmd);
}

static inline int attach_pt(struct vmm *v, __u32 pt_id)
{
	struct vfio_device_attach_iommufd_pt cmd = {
		.argsz = sizeof(cmd),
		.pt_id = pt_id,
	};

	return ioctl(v->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd);
}

static inline int all_bytes(const uint8_t *p, uint8_t val)
{
	int i;

	for (i = 0; i < PSZ; i++)
		if (p[i] != val)
			return 0;
	return 1;
}

/* The physical address of the page at @va (pinned: the IOAS maps it) */
static inline uint64_t phys_of(const void *va)
{
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent), (uintptr_t)va / PSZ * sizeof(ent)) !=
	    sizeof(ent))
		ent = 0;
	close(fd);
	if (!(ent & (1ULL << 63)))
		return 0;
	return (ent & ((1ULL << 55) - 1)) * PSZ;
}

/*
 * Open the vfio cdev @cdev on a new iommufd, bind it, attach it to a new IOAS
 * (the kernel picks the domain), turn bus mastering on and map BAR 0.
 */
static inline int vmm_open(struct vmm *v, const char *cdev)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	uint16_t cmd;
	int err;

	v->iommufd = open("/dev/iommu", O_RDWR);
	if (vmm_step(v, v->iommufd < 0, errno, "open /dev/iommu", NULL))
		return -1;
	v->devfd = open(cdev, O_RDWR);
	if (vmm_step(v, v->devfd < 0, errno, "open the device's vfio cdev",
		     "%s", cdev))
		return -1;
	bind.iommufd = v->iommufd;
	err = vmm_ioctl(v->devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
	v->dev_id = bind.out_devid;
	if (vmm_step(v, err, err, "VFIO_DEVICE_BIND_IOMMUFD", "device %u",
		     v->dev_id))
		return -1;
	err = vmm_ioctl(v->iommufd, IOMMU_IOAS_ALLOC, &alloc);
	v->ioas_id = alloc.out_ioas_id;
	if (vmm_step(v, err, err, "IOMMU_IOAS_ALLOC", "IOAS %u", v->ioas_id))
		return -1;
	attach.pt_id = v->ioas_id;
	err = vmm_ioctl(v->devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);
	v->hwpt_id = attach.pt_id;
	if (vmm_step(v, err, err, "VFIO_DEVICE_ATTACH_IOMMUFD_PT to the IOAS",
		     "the kernel made the domain HWPT %u", v->hwpt_id))
		return -1;

	/* Bus mastering on, through the config space region */
	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	err = vmm_ioctl(v->devfd, VFIO_DEVICE_GET_REGION_INFO, &reg);
	errno = 0;
	if (!err && (pread(v->devfd, &cmd, 2, reg.offset + 4) != 2 ||
		     (cmd |= 0x4, pwrite(v->devfd, &cmd, 2, reg.offset + 4) != 2)))
		err = errno ? errno : EIO;
	if (vmm_step(v, err, err, "bus mastering on", NULL))
		return -1;

	reg.index = VFIO_PCI_BAR0_REGION_INDEX;
	err = vmm_ioctl(v->devfd, VFIO_DEVICE_GET_REGION_INFO, &reg);
	if (!err && !(reg.flags & VFIO_REGION_INFO_FLAG_MMAP))
		err = EINVAL;
	if (!err) {
		v->bar_size = reg.size;
		v->bar = mmap(NULL, reg.size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, v->devfd, reg.offset);
		if (v->bar == MAP_FAILED) {
			v->bar = NULL;
			err = errno;
		}
	}
	if (vmm_step(v, err, err, "map BAR 0", NULL))
		return -1;
	*(volatile uint32_t *)(v->bar + EDU_LIVENESS) = 0x12345678;
	return vmm_step(v, rd32(v, EDU_ID) != 0x010000ed ||
			rd32(v, EDU_LIVENESS) != ~0x12345678u, 0,
			"the device answers", "ID %#x", rd32(v, EDU_ID));
}

static inline void vmm_close(struct vmm *v)
{
	if (v->bar)
		munmap((void *)v->bar, v->bar_size);
	if (v->devfd > 0)
		close(v->devfd);
	if (v->iommufd > 0)
		close(v->iommufd);
	v->bar = NULL;
	v->devfd = v->iommufd = -1;
}

/*
 * One copy by the device, from @src to @dst through its own buffer, of a page
 * filled with @val, and where it landed: which of @pages (named @names, at
 * the I/O addresses @ios) now holds it, if any, given as the page's physical
 * address. @expect is the index the bytes must land in, or -1 for nowhere;
 * every other page must be left as it was, byte for byte.
 */
#define VMM_MAX_PAGES	4
static inline int vmm_copy(struct vmm *v, const char *what, uint8_t *src_page,
			   uint64_t src, uint64_t dst, uint8_t val,
			   uint8_t **pages, const char *const *names,
			   const uint64_t *ios, int n, int expect)
{
	static uint8_t before[VMM_MAX_PAGES][PSZ];
	int i, found = -1, ok, touched = -1;

	for (i = 0; i < n && i < VMM_MAX_PAGES; i++)
		memcpy(before[i], pages[i], PSZ);
	memset(src_page, val, PSZ);
	if (edu_dma(v, src, EDU_BUF, PSZ, 0) || edu_dma(v, EDU_BUF, dst, PSZ, 1))
		return vmm_step(v, -1, ETIMEDOUT, what, "the device did not finish");
	for (i = 0; i < n && i < VMM_MAX_PAGES; i++) {
		if (all_bytes(pages[i], val))
			found = i;
		else if (memcmp(before[i], pages[i], PSZ) && i != expect)
			touched = i;
	}
	if (touched >= 0)
		return vmm_step(v, -1, 0, what, "some bytes of %s %#llx (physical "
				"page %#llx) changed, where none should have",
				names[touched], (unsigned long long)ios[touched],
				(unsigned long long)phys_of(pages[touched]));
	ok = found == expect;
	if (found >= 0)
		return vmm_step(v, !ok, 0, what, "4096 bytes of %#x found at %s "
				"%#llx (physical page %#llx)%s", val, names[found],
				(unsigned long long)ios[found],
				(unsigned long long)phys_of(pages[found]),
				ok ? "" : ", not where expected");
	return vmm_step(v, !ok, 0, what, "the %#x bytes landed nowhere the VM "
			"can see%s", val, ok ? ": the IOMMU faulted the write" :
			", but they should have");
}

/*
 * The VT-d (or any IOMMU's) walk on the kernel-made domain: DMA lands where
 * the IOAS maps the IOVA, follows a remap, and stops at an unmap. @buf holds
 * three pages of the VMM.
 */
static inline int iova_remap(struct vmm *v, uint8_t **buf)
{
	const char *const names[] = { "IOVA", "IOVA" };
	uint64_t ios[] = { IOVA_B, IOVA_B };
	uint8_t *dst[] = { buf[0], buf[1] };
	int err;

	err = ioas_map(v, buf[2], IOVA_A, RW) ? errno : 0;
	if (vmm_step(v, err, err, "IOMMU_IOAS_MAP the source page",
		     "IOVA %#llx -> physical page %#llx", IOVA_A,
		     (unsigned long long)phys_of(buf[2])))
		return -1;
	err = ioas_map(v, buf[0], IOVA_B, RW) ? errno : 0;
	if (vmm_step(v, err, err, "IOMMU_IOAS_MAP a target page", "IOVA %#llx -> "
		     "physical page %#llx", IOVA_B,
		     (unsigned long long)phys_of(buf[0])))
		return -1;
	if (vmm_copy(v, "DMA: IOVA 0x1000000 -> the device -> IOVA 0x2340000",
		     buf[2], IOVA_A, IOVA_B, 0x11, dst, names, ios, 2, 0))
		return -1;
	err = ioas_unmap(v, IOVA_B) ? errno : 0;
	if (!err)
		err = ioas_map(v, buf[1], IOVA_B, RW) ? errno : 0;
	if (vmm_step(v, err, err, "IOMMU_IOAS_UNMAP + MAP: the IOVA to another page",
		     "IOVA %#llx -> physical page %#llx", IOVA_B,
		     (unsigned long long)phys_of(buf[1])))
		return -1;
	return vmm_copy(v, "the same DMA again", buf[2], IOVA_A, IOVA_B, 0x22,
			dst, names, ios, 2, 1);
}

/* After iova_remap(): unmap IOVA_B, and the device's write goes nowhere */
static inline int iova_unmap_stops(struct vmm *v, uint8_t **buf)
{
	const char *const names[] = { "IOVA", "IOVA" };
	uint64_t ios[] = { IOVA_B, IOVA_B };
	uint8_t *dst[] = { buf[0], buf[1] };
	int err;

	err = ioas_unmap(v, IOVA_B) ? errno : 0;
	if (vmm_step(v, err, err, "IOMMU_IOAS_UNMAP the target", "IOVA %#llx",
		     IOVA_B))
		return -1;
	if (vmm_copy(v, "the same DMA, to the unmapped IOVA", buf[2], IOVA_A,
		     IOVA_B, 0x33, dst, names, ios, 2, -1))
		return -1;
	err = ioas_unmap(v, IOVA_A) ? errno : 0;
	return vmm_step(v, err, err, "IOMMU_IOAS_UNMAP the source", "IOVA %#llx",
			IOVA_A);
}

#ifdef IOMMU_VIOMMU_ALLOC
#define VIOMMU_TYPE_ARM_SMMUV3	1

static inline int viommu_alloc(struct vmm *v, __u32 hwpt_id, __u32 *id, void *data,
			__u32 data_len)
{
	struct iommu_viommu_alloc cmd = {
		.size = sizeof(cmd),
		.type = VIOMMU_TYPE_ARM_SMMUV3,
		.dev_id = v->dev_id,
		.hwpt_id = hwpt_id,
		.data_len = data_len,
		.data_uptr = (uintptr_t)data,
	};
	int rc = ioctl(v->iommufd, IOMMU_VIOMMU_ALLOC, &cmd);

	*id = cmd.out_viommu_id;
	return rc;
}
#endif

#ifdef IOMMU_VDEVICE_ALLOC
/*
 * The guest side of a vSMMU, written as a guest would: STEs, a context
 * descriptor and stage-1 tables in its "RAM" (the IOAS), and its commands.
 * Local copies of the uAPI, so the programs build on every patch of the
 * series.
 */
#define HWPT_DATA_ARM_SMMUV3		2
#define VIOMMU_INV_DATA_ARM_SMMUV3	1
struct vsmmu_ste { __le64 ste[2]; };
struct vsmmu_cmd { __le64 cmd[2]; };

#define STE0_V			(1ULL << 0)
#define STE0_CFG_ABORT		(0ULL << 1)
#define STE0_CFG_BYPASS		(4ULL << 1)
#define STE0_CFG_S1		(5ULL << 1)
#define STE1_S1_ATTRS		((1ULL << 2) | (1ULL << 4) | (3ULL << 6))

#define CD0_T0SZ_39		25ULL
#define CD0_WBWA_ISH		((1ULL << 8) | (1ULL << 10) | (3ULL << 12))
#define CD0_EPD1		(1ULL << 30)
#define CD0_V			(1ULL << 31)
#define CD0_IPS_40		(2ULL << 32)
#define CD0_AA64		(1ULL << 41)
#define CD0_R			(1ULL << 45)
#define CD0_A			(1ULL << 46)
#define CD0_ASID(a)		((uint64_t)(a) << 48)

#define PTE_TABLE		3ULL
#define PTE_PAGE		(3ULL | (1ULL << 10) | (3ULL << 8)) /* AF, ISH, RW */
#define PTE_ADDR		0x000000fffffff000ULL

#define OP_CFGI_STE		0x03
#define OP_CFGI_CD		0x05
#define OP_ATC_INV		0x40
#define OP_TLBI_NH_ALL		0x10
#define OP_TLBI_NH_VA		0x12
#define OP_TLBI_NSNH_ALL	0x30

/* Guest IPAs: two sets of tables, the source page and three targets */
#define IPA_TABLES	0x03000000ULL	/* CD, L1, L2, L3, L1b, L2b, L3b */
#define IPA_SRC		0x03100000ULL
#define IPA_A		IOVA_A
#define IPA_B		IOVA_B
#define IPA_C		0x03200000ULL
/* Guest VAs, the addresses the device is given: one L3 table covers both */
#define VA_SRC		0x00400000ULL
#define VA_DST		0x00401000ULL
#define VSID0		0x1234	/* no real StreamID on this machine */
#define VSID1		0x2345

struct guest_mem {
	uint64_t *table[7];	/* in the order of IPA_TABLES */
	uint8_t *src, *a, *b, *c;
};

/* A VM of the VMM: its RAM, its stage 2, two vSMMUs and their objects */
struct nest {
	uint8_t *pool;
	struct guest_mem g;
	__u32 parent, vsmmu[2], vdev[2], s1[2];
	uint8_t val;		/* the byte of the next DMA */
	uint64_t unmapped[4];	/* IPAs the VMM took out of the IOAS */
	int nr_unmapped;
};

static inline unsigned long long ipa_table(int i)
{
	return IPA_TABLES + i * PSZ;
}

/* Tables 1-3 or 4-6 map VA_SRC to IPA_SRC and VA_DST to @dst */
static inline void guest_map(struct guest_mem *g, int l1, uint64_t dst)
{
	memset(g->table[l1], 0, PSZ);
	memset(g->table[l1 + 1], 0, PSZ);
	memset(g->table[l1 + 2], 0, PSZ);
	g->table[l1][0] = ipa_table(l1 + 1) | PTE_TABLE;
	g->table[l1 + 1][(VA_SRC >> 21) & 511] = ipa_table(l1 + 2) | PTE_TABLE;
	g->table[l1 + 2][(VA_SRC >> 12) & 511] = IPA_SRC | PTE_PAGE;
	g->table[l1 + 2][(VA_DST >> 12) & 511] = dst | PTE_PAGE;
}

static inline void guest_cd(struct guest_mem *g, int l1)
{
	memset(g->table[0], 0, 64);
	g->table[0][1] = ipa_table(l1);
	g->table[0][3] = 0xff;	/* MAIR: attribute 0 is normal write-back */
	g->table[0][0] = CD0_T0SZ_39 | CD0_WBWA_ISH | CD0_EPD1 | CD0_V |
			 CD0_IPS_40 | CD0_AA64 | CD0_R | CD0_A | CD0_ASID(1);
}

static inline int vsmmu_hwpt(struct vmm *v, __u32 vsmmu, uint64_t ste0,
		      uint64_t ste1, __u32 *id)
{
	struct vsmmu_ste ste = { { htole64(ste0), htole64(ste1) } };
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.dev_id = v->dev_id,
		.pt_id = vsmmu,
		.data_type = HWPT_DATA_ARM_SMMUV3,
		.data_len = sizeof(ste),
		.data_uptr = (uintptr_t)&ste,
	};
	int rc = ioctl(v->iommufd, IOMMU_HWPT_ALLOC, &cmd);

	*id = cmd.out_hwpt_id;
	return rc;
}

static inline int vdevice(struct vmm *v, __u32 vsmmu, __u64 vsid, __u32 *id)
{
	struct iommu_vdevice_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = vsmmu,
		.dev_id = v->dev_id,
		.virt_id = vsid,
	};
	int rc = ioctl(v->iommufd, IOMMU_VDEVICE_ALLOC, &cmd);

	*id = cmd.out_vdevice_id;
	return rc;
}

/*
 * Hand @n commands of @len bytes each to the vSMMU; returns the ioctl's
 * result, *@done the count
 */
static inline int vsmmu_cmds_len(struct vmm *v, __u32 vsmmu, const void *cmds,
			  __u32 len, __u32 n, __u32 *done)
{
	struct iommu_hwpt_invalidate inv = {
		.size = sizeof(inv),
		.hwpt_id = vsmmu,
		.data_uptr = (uintptr_t)cmds,
		.data_type = VIOMMU_INV_DATA_ARM_SMMUV3,
		.entry_len = len,
		.entry_num = n,
	};
	int rc = ioctl(v->iommufd, IOMMU_HWPT_INVALIDATE, &inv);

	*done = inv.entry_num;
	return rc;
}

static inline int vsmmu_cmds(struct vmm *v, __u32 vsmmu, const struct vsmmu_cmd *cmds,
		      __u32 n, __u32 *done)
{
	return vsmmu_cmds_len(v, vsmmu, cmds, sizeof(*cmds), n, done);
}

static inline struct vsmmu_cmd cmd(uint64_t op, uint64_t w0, uint64_t w1)
{
	return (struct vsmmu_cmd){ { htole64(op | w0), htole64(w1) } };
}

/* The host page of guest IPA @ipa, or NULL where the VM has none */
static inline uint8_t *nest_page(struct nest *n, uint64_t ipa)
{
	uint64_t base = ipa & ~(uint64_t)(PSZ - 1);
	int i;

	for (i = 0; i < 7; i++)
		if (base == ipa_table(i))
			return (uint8_t *)n->g.table[i];
	if (base == IPA_SRC)
		return n->g.src;
	if (base == IPA_A)
		return n->g.a;
	if (base == IPA_B)
		return n->g.b;
	if (base == IPA_C)
		return n->g.c;
	return NULL;
}

/*
 * Where the guest's stage 1 sends @va, read from its CD and tables as the
 * SMMU walks them (4 KiB granule, 39-bit VA: three levels); ~0 if nowhere
 */
static inline uint64_t guest_walk(struct nest *n, uint64_t va)
{
	uint64_t desc = n->g.table[0][1];
	int level;

	for (level = 1; level <= 3; level++) {
		uint64_t *t = (uint64_t *)nest_page(n, desc & PTE_ADDR);

		if (!t)
			return ~0ULL;
		desc = t[(va >> (39 - 9 * level)) & 511];
		if ((desc & 3) != 3)
			return ~0ULL;
	}
	return (desc & PTE_ADDR) | (va & (PSZ - 1));
}

static inline int nest_unmapped(struct nest *n, uint64_t ipa)
{
	int i;

	for (i = 0; i < n->nr_unmapped; i++)
		if (n->unmapped[i] == (ipa & ~(uint64_t)(PSZ - 1)))
			return 1;
	return 0;
}

/*
 * The device copies the page at VA_SRC to VA_DST. Said first: where each
 * stage sends VA_DST as the tables are now (the guest's stage 1 in its RAM,
 * then the IOAS); then where the bytes were found, which must be the page
 * at index @expect of A, B, C (-1: none).
 */
static inline int nest_dma(struct vmm *v, struct nest *n, const char *what,
		    int expect)
{
	static const char *const names[] = { "IPA", "IPA", "IPA" };
	static const uint64_t ios[] = { IPA_A, IPA_B, IPA_C };
	uint8_t *pages[] = { n->g.a, n->g.b, n->g.c };
	uint64_t ipa = guest_walk(n, VA_DST);
	uint8_t *page = ipa == ~0ULL ? NULL : nest_page(n, ipa);

	if (!n->val)
		n->val = 0x71;
	if (ipa == ~0ULL)
		vmm_say(v, "stage 1: VA %#llx has no translation in the guest's tables",
			VA_DST);
	else if (!page || nest_unmapped(n, ipa))
		vmm_say(v, "stage 1 (guest tables, TTB0 at IPA %#llx): VA %#llx -> IPA %#llx;"
			" stage 2 (IOAS %u): IPA %#llx is not mapped",
			(unsigned long long)(n->g.table[0][1] & PTE_ADDR),
			VA_DST, (unsigned long long)ipa, v->ioas_id,
			(unsigned long long)ipa);
	else
		vmm_say(v, "stage 1 (guest tables, TTB0 at IPA %#llx): VA %#llx -> IPA %#llx;"
			" stage 2 (IOAS %u): IPA %#llx -> physical page %#llx",
			(unsigned long long)(n->g.table[0][1] & PTE_ADDR),
			VA_DST, (unsigned long long)ipa, v->ioas_id,
			(unsigned long long)ipa, (unsigned long long)phys_of(page));
	return vmm_copy(v, what, n->g.src, VA_SRC, VA_DST, n->val++, pages,
			names, ios, 3, expect);
}

/* The VM's RAM: seven table pages and four data pages, mapped at its IPAs */
static inline int nest_ram(struct vmm *v, struct nest *n)
{
	int i, err = 0;

	memset(n, 0, sizeof(*n));
	n->pool = mmap(NULL, 11 * PSZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (n->pool == MAP_FAILED) {
		n->pool = NULL;
		return vmm_step(v, -1, errno, "allocate the VM's RAM", NULL);
	}
	memset(n->pool, 0, 11 * PSZ);
	for (i = 0; i < 7; i++)
		n->g.table[i] = (uint64_t *)(n->pool + i * PSZ);
	n->g.src = n->pool + 7 * PSZ;
	n->g.a = n->pool + 8 * PSZ;
	n->g.b = n->pool + 9 * PSZ;
	n->g.c = n->pool + 10 * PSZ;
	for (i = 0; i < 7 && !err; i++)
		err = ioas_map(v, n->g.table[i], ipa_table(i), RW) ? errno : 0;
	if (!err)
		err = ioas_map(v, n->g.src, IPA_SRC, RW) ? errno : 0;
	if (!err)
		err = ioas_map(v, n->g.a, IPA_A, RW) ? errno : 0;
	if (!err)
		err = ioas_map(v, n->g.b, IPA_B, RW) ? errno : 0;
	if (!err)
		err = ioas_map(v, n->g.c, IPA_C, RW) ? errno : 0;
	return vmm_step(v, err, err, "IOMMU_IOAS_MAP the VM's RAM",
			"11 pages into IOAS %u: tables at IPA %#llx, source %#llx, "
			"targets A %#llx, B %#llx, C %#llx", v->ioas_id,
			IPA_TABLES, IPA_SRC, IPA_A, IPA_B, IPA_C);
}

/* The VM's stage 2: a nesting parent on the IOAS, the device attached to it */
static inline int nest_parent(struct vmm *v, struct nest *n)
{
	struct iommu_hwpt_alloc alloc = {
		.size = sizeof(alloc),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = v->dev_id,
		.pt_id = v->ioas_id,
	};
	int err = vmm_ioctl(v->iommufd, IOMMU_HWPT_ALLOC, &alloc);

	n->parent = alloc.out_hwpt_id;
	if (vmm_step(v, err, err, "IOMMU_HWPT_ALLOC with NEST_PARENT",
		     "HWPT %u, the VM's stage 2 over IOAS %u", n->parent,
		     v->ioas_id))
		return -1;
	err = attach_pt(v, n->parent) ? errno : 0;
	return vmm_step(v, err, err, "VFIO_DEVICE_ATTACH_IOMMUFD_PT to the stage 2",
			"HWPT %u", n->parent);
}

/* RAM, stage 2, and two vSMMUs sharing that stage 2 */
static inline int nest_setup(struct vmm *v, struct nest *n)
{
	int i, err;

	if (nest_ram(v, n) || nest_parent(v, n))
		return -1;
	for (i = 0; i < 2; i++) {
		err = viommu_alloc(v, n->parent, &n->vsmmu[i], NULL, 0) ? errno : 0;
		if (vmm_step(v, err, err, "IOMMU_VIOMMU_ALLOC (ARM_SMMUV3)",
			     "vSMMU %d is vIOMMU %u, on HWPT %u", i, n->vsmmu[i],
			     n->parent))
			return -1;
	}
	return 0;
}

/*
 * The guest writes its CD and stage-1 tables (tables 1-3: VA_DST -> IPA_A)
 * and points an STE at them; the VMM makes that STE a nested HWPT on vSMMU
 * @i. Not attached yet.
 */
static inline int nest_guest_s1(struct vmm *v, struct nest *n, int i)
{
	int err;

	guest_map(&n->g, 1, IPA_A);
	guest_cd(&n->g, 1);
	vmm_say(v, "the guest writes its CD at IPA %#llx (ASID 1, TTB0 %#llx) and "
		"tables mapping VA %#llx -> IPA %#llx, VA %#llx -> IPA %#llx",
		ipa_table(0), ipa_table(1), VA_SRC, IPA_SRC, VA_DST, IPA_A);
	err = vsmmu_hwpt(v, n->vsmmu[i], STE0_V | STE0_CFG_S1 | ipa_table(0),
			 STE1_S1_ATTRS, &n->s1[i]) ? errno : 0;
	return vmm_step(v, err, err, "IOMMU_HWPT_ALLOC nested, from the guest's STE",
			"HWPT %u on vSMMU %d (STE: S1 translate, S1ContextPtr "
			"IPA %#llx)", n->s1[i], i, ipa_table(0));
}

/*
 * The device gets vSID @vsid on vSMMU @i and goes onto its nested HWPT; its
 * DMA must land in target @expect (0 A, 1 B, 2 C)
 */
static inline int nest_plug(struct vmm *v, struct nest *n, int i, __u64 vsid,
			    int expect)
{
	int err = vdevice(v, n->vsmmu[i], vsid, &n->vdev[i]) ? errno : 0;

	if (vmm_step(v, err, err, "IOMMU_VDEVICE_ALLOC", "vDEVICE %u: the "
		     "device is vSID %#llx on vSMMU %d", n->vdev[i],
		     (unsigned long long)vsid, i))
		return -1;
	err = attach_pt(v, n->s1[i]) ? errno : 0;
	if (vmm_step(v, err, err, "VFIO_DEVICE_ATTACH_IOMMUFD_PT to the nested HWPT",
		     "HWPT %u", n->s1[i]))
		return -1;
	return nest_dma(v, n, "DMA through both stages", expect);
}

/*
 * The guest remaps VA_DST to IPA_B. Until it invalidates, the SMMU keeps the
 * translation it cached; after its TLBI_NH_VA and CFGI_CD through vSMMU 0,
 * the DMA follows the new one. QEMU's TLB drops the entry only for a
 * TLBI_NH_VA with the VMID of the STE, so this also shows the kernel put
 * the vSMMU's VMID in the guest's command.
 */
static inline int nest_remap(struct vmm *v, struct nest *n)
{
	struct vsmmu_cmd cmds[2];
	__u32 done = 0;
	int err;

	n->g.table[3][(VA_DST >> 12) & 511] = IPA_B | PTE_PAGE;
	vmm_say(v, "the guest remaps VA %#llx to IPA %#llx in its L3 table, "
		"and does not invalidate yet", VA_DST, IPA_B);
	if (nest_dma(v, n, "DMA before the guest invalidates: stale, at A", 0))
		return -1;
	cmds[0] = cmd(OP_TLBI_NH_VA, 1ULL << 48 | 0xabcdULL << 32, VA_DST | 1);
	cmds[1] = cmd(OP_CFGI_CD, (uint64_t)VSID0 << 32, 1);
	err = vsmmu_cmds(v, n->vsmmu[0], cmds, 2, &done) ? errno : 0;
	if (!err && done != 2)
		err = EIO;
	if (vmm_step(v, err, err, "IOMMU_HWPT_INVALIDATE through vSMMU 0",
		     "the guest's TLBI_NH_VA (ASID 1, VA %#llx) and CFGI_CD "
		     "(vSID %#x): %u of 2 done", VA_DST, VSID0, done))
		return -1;
	return nest_dma(v, n, "DMA after the invalidation: fresh, at B", 1);
}

/* The VMM unmaps @ipa from the IOAS: the device's write through it is stopped */
static inline int nest_unmap_stops(struct vmm *v, struct nest *n, uint64_t ipa)
{
	int err = ioas_unmap(v, ipa) ? errno : 0;

	if (vmm_step(v, err, err, "IOMMU_IOAS_UNMAP", "IPA %#llx from IOAS %u: "
		     "stage 2 drops it, for every vSMMU's VMID",
		     (unsigned long long)ipa, v->ioas_id))
		return -1;
	if (n->nr_unmapped < 4)
		n->unmapped[n->nr_unmapped++] = ipa;
	return nest_dma(v, n, "DMA to the unmapped IPA", -1);
}

/*
 * The device moves to vSMMU 1, as on a hot-unplug and replug under the
 * guest's second SMMU: back to stage 2, its vSID on vSMMU 0 dropped, vSID1 on
 * vSMMU 1, a nested HWPT there on the same tables (VA_DST -> IPA_B now).
 */
static inline int nest_move(struct vmm *v, struct nest *n)
{
	int err;

	guest_cd(&n->g, 1);
	err = vsmmu_hwpt(v, n->vsmmu[1], STE0_V | STE0_CFG_S1 | ipa_table(0),
			 STE1_S1_ATTRS, &n->s1[1]) ? errno : 0;
	if (vmm_step(v, err, err, "IOMMU_HWPT_ALLOC nested on vSMMU 1",
		     "HWPT %u", n->s1[1]))
		return -1;
	err = attach_pt(v, n->parent) ? errno : 0;
	if (vmm_step(v, err, err, "VFIO_DEVICE_ATTACH_IOMMUFD_PT back to the stage 2",
		     "HWPT %u", n->parent))
		return -1;
	err = destroy(v, n->vdev[0]) ? errno : 0;
	if (vmm_step(v, err, err, "IOMMU_DESTROY the vDEVICE on vSMMU 0",
		     "vDEVICE %u", n->vdev[0]))
		return -1;
	n->vdev[0] = 0;
	return nest_plug(v, n, 1, VSID1, 1);
}

/* Tear down as a VMM does on unplug: back to stage 2, then in reverse */
static inline int nest_teardown(struct vmm *v, struct nest *n)
{
	static const char *const names[] = {
		"vSMMU 1's nested HWPT", "vSMMU 1's vDEVICE",
		"vSMMU 0's nested HWPT", "vSMMU 0's vDEVICE", "vSMMU 1",
		"vSMMU 0",
	};
	__u32 ids[] = { n->s1[1], n->vdev[1], n->s1[0], n->vdev[0],
			n->vsmmu[1], n->vsmmu[0] };
	const char *what = "the attach back to the stage 2";
	int err, i;

	err = attach_pt(v, n->parent) ? errno : 0;
	for (i = 0; !err && i < 6; i++) {
		what = names[i];
		if (ids[i])
			err = destroy(v, ids[i]) ? errno : 0;
	}
	if (!err) {
		what = "the attach back to the IOAS";
		err = attach_pt(v, v->ioas_id) ? errno : 0;
	}
	if (!err) {
		what = "the stage 2";
		err = destroy(v, n->parent) ? errno : 0;
	}
	if (n->pool)
		munmap(n->pool, 11 * PSZ);
	n->pool = NULL;
	if (err)
		return vmm_step(v, -1, err, "tear down", "at %s", what);
	return vmm_step(v, 0, 0, "tear down", "nested HWPTs, vDEVICEs, "
			"vSMMUs, then the stage 2 (IOMMU_DESTROY of each)");
}
#endif

#endif
