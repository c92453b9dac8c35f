// SPDX-License-Identifier: GPL-2.0
/*
 * Print the ACPI tables named on the command line, as the kernel has them
 * (/sys/firmware/acpi/tables/NAME), one line each: "NAME LENGTH HEX...".
 * scripts/iort.sh reads QEMU's IORT this way.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char buf[65536];
	char path[256];
	int i, fd, rc = 0;
	ssize_t n, j;

	for (i = 1; i < argc; i++) {
		snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s",
			 argv[i]);
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		if (fd >= 0)
			close(fd);
		if (n <= 0) {
			perror(path);
			rc = 1;
			continue;
		}
		printf("%s %zd ", argv[i], n);
		for (j = 0; j < n; j++)
			printf("%02x", buf[j]);
		printf("\n");
	}
	return rc;
}
