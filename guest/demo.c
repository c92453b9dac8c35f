// SPDX-License-Identifier: GPL-2.0
/*
 * 'make run' demo: walks through what the series offers a VMM, one step per
 * line, on the iommufd mock device (drivers/iommu/iommufd/selftest.c) in a
 * guest whose VT-d is really translating. Exits non-zero if a step fails.
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

	destroy.id = mock.mock_domain.out_stdev_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "unbind the mock device", "");
	destroy.id = ioas.out_ioas_id;
	report(!ioctl(fd, IOMMU_DESTROY, &destroy), "IOMMU_DESTROY the IOAS", "");
	report(!close(fd), "close /dev/iommu", "");
	printf("\ndemo: all %d steps passed\n", step);
	return 0;
}
