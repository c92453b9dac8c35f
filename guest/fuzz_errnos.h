/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The errnos each call of the fuzzer may return, read off the uAPI's
 * kernel-doc (include/uapi/linux/iommufd.h, include/uapi/linux/vfio.h,
 * Documentation/userspace-api/iommufd.rst) and, where those are silent, off
 * the code that returns them; each entry beyond the common ones says where it
 * comes from. A call that returns anything else fails the fuzz run.
 *
 * Every iommufd ioctl may return what its dispatcher returns before the
 * command runs (EFAULT: the structure cannot be read; EINVAL: a size below
 * the minimum; E2BIG: a size beyond the kernel's structure with non-zero
 * bytes past it) and ENOMEM.
 */
#ifndef FUZZ_ERRNOS_H
#define FUZZ_ERRNOS_H

#include <errno.h>

#define FUZZ_COMMON_ERRNOS EFAULT, EINVAL, E2BIG, ENOMEM

enum fuzz_op {
	OP_DESTROY,
	OP_IOAS_ALLOC,
	OP_IOAS_ALLOW_IOVAS,
	OP_IOAS_COPY,
	OP_IOAS_IOVA_RANGES,
	OP_IOAS_MAP,
	OP_IOAS_UNMAP,
	OP_OPTION,
	OP_VFIO_IOAS,
	OP_HWPT_ALLOC,
	OP_GET_HW_INFO,
	OP_HWPT_SET_DIRTY,
	OP_HWPT_GET_DIRTY,
	OP_HWPT_INVALIDATE,
	OP_FAULT_ALLOC,
	OP_VIOMMU_ALLOC,
	OP_VDEVICE_ALLOC,
	OP_BAD_NR,
	OP_T_MOCK_DOMAIN,
	OP_T_DOMAIN_REPLACE,
	OP_T_ADD_RESERVED,
	OP_T_CREATE_ACCESS,
	OP_T_ACCESS_PAGES,
	OP_T_DESTROY_ACCESS_PAGES,
	OP_T_ACCESS_RW,
	OP_T_ACCESS_REPLACE_IOAS,
	OP_T_PASID_ATTACH,
	OP_T_PASID_REPLACE,
	OP_T_PASID_DETACH,
	OP_T_PASID_CHECK,
	OP_T_TRIGGER_IOPF,
	OP_FAULT_READ,
	OP_FAULT_WRITE,
	OP_CLOSE_FD,
	OP_VFIO_BIND,
	OP_VFIO_ATTACH,
	OP_VFIO_DETACH,
	OP_VFIO_UNBIND,
	NR_OPS
};

struct fuzz_errnos {
	const char *name;
	int err[16];		/* 0-terminated */
};

static const struct fuzz_errnos fuzz_errnos[NR_OPS] = {
	/* EBUSY: the object has users (iommufd_object_remove()) */
	[OP_DESTROY] = { "IOMMU_DESTROY", { FUZZ_COMMON_ERRNOS, ENOENT, EBUSY } },
	/* EOPNOTSUPP: unknown flags */
	[OP_IOAS_ALLOC] = { "IOMMU_IOAS_ALLOC", { FUZZ_COMMON_ERRNOS, EOPNOTSUPP } },
	/* EADDRINUSE: an allowed range covers a reserved one */
	[OP_IOAS_ALLOW_IOVAS] = { "IOMMU_IOAS_ALLOW_IOVAS",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EADDRINUSE } },
	/*
	 * As IOAS_MAP, and ENOENT for a source range that is not one mapped
	 * area of the source IOAS; EPERM: a writable copy of pages mapped
	 * read-only (iopt_insert_area())
	 */
	[OP_IOAS_COPY] = { "IOMMU_IOAS_COPY",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EEXIST, ENOSPC,
		  EOVERFLOW, EPERM } },
	/* EMSGSIZE: num_iovas is smaller than the number of ranges */
	[OP_IOAS_IOVA_RANGES] = { "IOMMU_IOAS_IOVA_RANGES",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EMSGSIZE } },
	/*
	 * EEXIST: the fixed IOVA is in use or reserved; ENOSPC: no free IOVA
	 * range fits; EOVERFLOW: iova + length or user_va + length wraps;
	 * ENOMEM also when RLIMIT_MEMLOCK is exceeded (a read-only VMA mapped
	 * writable fails with EFAULT when pinned)
	 */
	[OP_IOAS_MAP] = { "IOMMU_IOAS_MAP",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EEXIST, ENOSPC,
		  EOVERFLOW } },
	/* ENOENT: nothing is mapped at iova; EOVERFLOW: iova + length wraps */
	[OP_IOAS_UNMAP] = { "IOMMU_IOAS_UNMAP",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOVERFLOW, EBUSY } },
	/*
	 * EOPNOTSUPP: unknown option or op; EBUSY: RLIMIT accounting changed
	 * while pages are pinned; EPERM: setting it without CAP_SYS_RESOURCE;
	 * EADDRINUSE: a mapping does not fit the alignment huge pages need
	 */
	[OP_OPTION] = { "IOMMU_OPTION",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EBUSY, EPERM,
		  EADDRINUSE } },
	/* ENODEV: GET with no compat IOAS set (get_compat_ioas()) */
	[OP_VFIO_IOAS] = { "IOMMU_VFIO_IOAS",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, ENODEV } },
	/*
	 * EOPNOTSUPP: flags or a data type the driver does not offer;
	 * EADDRINUSE: the IOAS maps a reserved region of the device;
	 * EBUSY: the device's group is in use by another context
	 */
	[OP_HWPT_ALLOC] = { "IOMMU_HWPT_ALLOC",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EADDRINUSE, EBUSY } },
	[OP_GET_HW_INFO] = { "IOMMU_GET_HW_INFO",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP } },
	[OP_HWPT_SET_DIRTY] = { "IOMMU_HWPT_SET_DIRTY_TRACKING",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP } },
	/* EOVERFLOW: iova + length wraps; ENOENT: nothing mapped */
	[OP_HWPT_GET_DIRTY] = { "IOMMU_HWPT_GET_DIRTY_BITMAP",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EOVERFLOW } },
	/* EOPNOTSUPP: a data type the HWPT or vIOMMU does not take */
	[OP_HWPT_INVALIDATE] = { "IOMMU_HWPT_INVALIDATE",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP } },
	/* EMFILE/ENFILE: no file descriptor left */
	[OP_FAULT_ALLOC] = { "IOMMU_FAULT_QUEUE_ALLOC",
		{ FUZZ_COMMON_ERRNOS, EOPNOTSUPP, EMFILE, ENFILE } },
	/*
	 * ENOSPC, EBUSY: the SMMUv3 vSMMU's limits (per parent, per context,
	 * VMIDs) and its refusals
	 */
	[OP_VIOMMU_ALLOC] = { "IOMMU_VIOMMU_ALLOC",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, ENOSPC, EBUSY } },
	/* EEXIST: the virtual ID or the device has a vDEVICE already */
	[OP_VDEVICE_ALLOC] = { "IOMMU_VDEVICE_ALLOC",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EEXIST } },
	/* An ioctl number no iommufd command has */
	[OP_BAD_NR] = { "unknown ioctl", { ENOTTY } },
	/* The selftest's ops: their own errnos, besides the attach's */
	[OP_T_MOCK_DOMAIN] = { "TEST_OP_MOCK_DOMAIN",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EADDRINUSE, EBUSY } },
	[OP_T_DOMAIN_REPLACE] = { "TEST_OP_MOCK_DOMAIN_REPLACE",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EADDRINUSE, EBUSY } },
	[OP_T_ADD_RESERVED] = { "TEST_OP_ADD_RESERVED",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EADDRINUSE, EOVERFLOW } },
	/* EADDRINUSE: a mapping of the IOAS does not fit the access's alignment */
	[OP_T_CREATE_ACCESS] = { "TEST_OP_CREATE_ACCESS",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EADDRINUSE } },
	/*
	 * EBADFD: the access fd is not one (iommufd_access_get() of
	 * selftest.c); EBADE: the op's own check that the pages pinned are
	 * those at uptr
	 */
	[OP_T_ACCESS_PAGES] = { "TEST_OP_ACCESS_PAGES",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EBADFD, EPERM,
		  EOVERFLOW, EBADE } },
	[OP_T_DESTROY_ACCESS_PAGES] = { "TEST_OP_DESTROY_ACCESS_PAGES",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EBADFD } },
	[OP_T_ACCESS_RW] = { "TEST_OP_ACCESS_RW",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EBADFD, EPERM,
		  EOVERFLOW } },
	/* EADDRINUSE: a mapping of the IOAS does not fit the access's alignment */
	[OP_T_ACCESS_REPLACE_IOAS] = { "TEST_OP_ACCESS_REPLACE_IOAS",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EBADFD, EADDRINUSE } },
	/* The PASID contract of iommufd.rst */
	[OP_T_PASID_ATTACH] = { "TEST_OP_PASID_ATTACH",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EADDRINUSE, EBUSY } },
	[OP_T_PASID_REPLACE] = { "TEST_OP_PASID_REPLACE",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP, EADDRINUSE, EBUSY } },
	[OP_T_PASID_DETACH] = { "TEST_OP_PASID_DETACH",
		{ FUZZ_COMMON_ERRNOS, ENOENT } },
	[OP_T_PASID_CHECK] = { "TEST_OP_PASID_CHECK_HWPT",
		{ FUZZ_COMMON_ERRNOS, ENOENT } },
	[OP_T_TRIGGER_IOPF] = { "TEST_OP_TRIGGER_IOPF",
		{ FUZZ_COMMON_ERRNOS, ENOENT, EOPNOTSUPP } },
	/* ESPIPE: a count that is not a whole number of records */
	[OP_FAULT_READ] = { "read(fault fd)", { FUZZ_COMMON_ERRNOS, ESPIPE } },
	[OP_FAULT_WRITE] = { "write(fault fd)", { FUZZ_COMMON_ERRNOS, ESPIPE } },
	[OP_CLOSE_FD] = { "close", { EBADF } },
	/*
	 * vfio cdev: EINVAL also for a device bound already (here or by
	 * another context); EBUSY: the device's group is in use
	 */
	/*
	 * EBADFD: iommufd is not an iommufd (iommufd_ctx_from_fd()); EPERM: no
	 * interrupt remapping, and unsafe interrupts not allowed
	 */
	[OP_VFIO_BIND] = { "VFIO_DEVICE_BIND_IOMMUFD",
		{ EFAULT, EINVAL, ENOMEM, EBADF, EBUSY, ENODEV, EBADFD, EPERM } },
	/*
	 * ENODEV: a HWPT with a fault queue on a device that cannot take I/O
	 * page faults (the driver's IOPF enable; edu has no PRI)
	 */
	[OP_VFIO_ATTACH] = { "VFIO_DEVICE_ATTACH_IOMMUFD_PT",
		{ EFAULT, EINVAL, ENOMEM, ENOENT, EOPNOTSUPP, EADDRINUSE,
		  EBUSY, ENODEV } },
	[OP_VFIO_DETACH] = { "VFIO_DEVICE_DETACH_IOMMUFD_PT",
		{ EFAULT, EINVAL, EOPNOTSUPP } },
	[OP_VFIO_UNBIND] = { "close(vfio cdev)", { EBADF } },
};

#endif
