/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest programs' way to QEMU's "edu" PCI device: find it, bind it to
 * vfio-pci and name its VFIO cdev. Shared by edu_dma and fanout_bench.
 */
#ifndef EDU_H
#define EDU_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

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

/* The edu device's sysfs directory, once edu_find_cdev() found it */
static char edu_dir[300];

/* Find the edu device, bind it to vfio-pci, return its vfio cdev path */
static int edu_find_cdev(char *cdev, size_t len)
{
	char *dir = edu_dir, buf[64], vdir[400], path[400];
	struct dirent *de;
	DIR *d, *v;
	int found = 0;

	d = opendir("/sys/bus/pci/devices");
	if (!d)
		return -1;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(edu_dir), "/sys/bus/pci/devices/%s",
			 de->d_name);
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

#endif
