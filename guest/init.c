// SPDX-License-Identifier: GPL-2.0
/*
 * Guest init for the test kernels. Runs the programs named on the kernel
 * command line (iommutest.run=a,b:arg:arg,c; iommutest.mode=M reaches each
 * as IOMMUTEST_MODE=M in its environment), writes their output between markers to the test channel
 * (/dev/hvc0, else the console), then a kmemleak report, then powers off.
 * Without iommutest.run it starts /bin/sh (make shell).
 *
 * First it loads the kernel modules that /lib/modules/load.list names, in
 * that order (dependencies first), and reports each as a test of the suite
 * "modules": a module that does not load fails the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			perror(path);
		close(fd);
	}
}

static void copy(const char *path, FILE *out)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, out);
	fclose(f);
}

#define MAX_MODULES 64

static struct {
	char name[64];
	int err;
} modules[MAX_MODULES];
static int nr_modules;

/*
 * Load what /lib/modules/load.list names; EEXIST is loaded too. A line
 * "kunit PATH" is a KUnit suite, left out when KUnit is disabled, as it only
 * runs when it is loaded.
 */
static void load_modules(void)
{
	FILE *f = fopen("/lib/modules/load.list", "r");
	char line[256], path[320], cmd[4096] = "", *mod;
	FILE *c = fopen("/proc/cmdline", "r");
	int fd;

	if (c) {
		if (!fgets(cmd, sizeof(cmd), c))
			cmd[0] = 0;
		fclose(c);
	}
	while (f && nr_modules < MAX_MODULES && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		mod = line;
		if (!strncmp(mod, "kunit ", 6)) {
			if (strstr(cmd, "kunit.enable=0"))
				continue;
			mod += 6;
		}
		if (!*mod)
			continue;
		snprintf(path, sizeof(path), "/lib/modules/%s", mod);
		snprintf(modules[nr_modules].name, sizeof(modules[0].name),
			 "%s", strrchr(path, '/') + 1);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
			modules[nr_modules].err = errno == EEXIST ? 0 : errno;
		if (fd >= 0)
			close(fd);
		nr_modules++;
	}
	if (f)
		fclose(f);
}

static void report_modules(FILE *out)
{
	int i;

	if (!nr_modules)
		return;
	fprintf(out, "### BEGIN modules\nTAP version 13\n1..%d\n", nr_modules);
	for (i = 0; i < nr_modules; i++) {
		if (modules[i].err)
			fprintf(out, "not ok %d %s # %s\n", i + 1, modules[i].name,
				strerror(modules[i].err));
		else
			fprintf(out, "ok %d %s\n", i + 1, modules[i].name);
	}
	fprintf(out, "### END modules rc=0\n");
}

static void cmdline(char **run, char **mode)
{
	static char buf[4096];
	char *tok, *save;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		return;
	fclose(f);
	for (tok = strtok_r(buf, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		if (!strncmp(tok, "iommutest.run=", 14))
			*run = tok + 14;
		else if (!strncmp(tok, "iommutest.mode=", 15))
			*mode = tok + 15;
	}
}

/*
 * Run /tests/<prog> with the arguments in @spec ("prog:arg:arg"); copy its
 * output to @out line by line, each line prefixed with the seconds since the
 * program started, so slow cases show in the log.
 */
static int run_test(char *spec, FILE *out)
{
	char *argv[32], *save, path[256], line[4096];
	struct timespec t0, t;
	int argc = 0, status, pfd[2];
	FILE *in;
	pid_t pid;

	for (argv[argc] = strtok_r(spec, ":", &save); argv[argc] && argc < 31;
	     argv[++argc] = strtok_r(NULL, ":", &save))
		;
	argv[argc] = NULL;
	snprintf(path, sizeof(path), "/tests/%s", argv[0]);
	if (pipe(pfd))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		close(pfd[1]);
		if (chdir("/tests"))
			_exit(127);
		execv(path, argv);
		perror(path);
		_exit(127);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");
	while (in && fgets(line, sizeof(line), in)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		fprintf(out, "[%8.3f] %s", (t.tv_sec - t0.tv_sec) +
			(t.tv_nsec - t0.tv_nsec) / 1e9, line);
	}
	if (in)
		fclose(in);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(void)
{
	char *run = NULL, *mode = "none", *name, *save;
	FILE *out;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sys", "/sys", "sysfs", 0, NULL);
	mount("dev", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mount("tmp", "/tmp", "tmpfs", 0, NULL);
	mkdir("/dev/hugepages", 0755);
	mount("none", "/dev/hugepages", "hugetlbfs", 0, NULL);
	put("/proc/sys/vm/nr_hugepages", "64");
	setenv("PATH", "/bin:/tests", 1);

	load_modules();
	cmdline(&run, &mode);
	setenv("IOMMUTEST_MODE", mode, 1);
	if (!run) {
		report_modules(stdout);
		if (!access("/bin/sh", X_OK)) {
			puts("iommu test guest: tests are in /tests; 'poweroff -f' leaves");
			execl("/bin/sh", "sh", "-c",
			      "/bin/busybox --install -s /bin; exec setsid cttyhack sh",
			      (char *)NULL);
		}
		puts("init: no iommutest.run= and no shell");
		reboot(RB_POWER_OFF);
	}

	out = fopen("/dev/hvc0", "w");
	if (!out)
		out = fopen("/dev/console", "w");
	if (!out)
		reboot(RB_POWER_OFF);
	setvbuf(out, NULL, _IOLBF, 0);
	report_modules(out);

	for (name = strtok_r(run, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		char prog[64];
		int rc;

		if (!strcmp(name, "-"))		/* nothing to run: KUnit only */
			continue;
		snprintf(prog, sizeof(prog), "%.*s", (int)strcspn(name, ":"), name);
		fprintf(out, "### BEGIN %s\n", prog);
		rc = run_test(name, out);
		fprintf(out, "### END %s rc=%d\n", prog, rc);
	}

	if (!access("/sys/kernel/debug/kmemleak", F_OK)) {
		/*
		 * Objects younger than 5 s are never reported. The second
		 * scan drops transient reports: an object is listed only if it
		 * is still unreferenced in the latest scan.
		 */
		sleep(6);
		put("/sys/kernel/debug/kmemleak", "scan");
		sleep(1);
		put("/sys/kernel/debug/kmemleak", "scan");
		fprintf(out, "### BEGIN kmemleak\n");
		fflush(out);
		copy("/sys/kernel/debug/kmemleak", out);
		fprintf(out, "### END kmemleak rc=0\n");
	}
	fprintf(out, "### DONE\n");
	fclose(out);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
