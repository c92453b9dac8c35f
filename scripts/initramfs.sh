#!/bin/bash
# initramfs.sh ARCH KOUT OUT.cpio PROG...: pack the guest init, the test
# programs (static binaries) and, on x86_64, busybox for 'make shell', using
# the kernel's own gen_init_cpio.
set -eu
arch=$1 kout=$2 out=$3
shift 3
list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
	for d in /bin /dev /proc /sys /tmp /tests; do echo "dir $d 0755 0 0"; done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /init $(dirname "$out")/init 0755 0 0"
	if [ "$arch" = x86_64 ] && [ -x /bin/busybox ]; then
		echo "file /bin/busybox /bin/busybox 0755 0 0"
		echo "slink /bin/sh busybox 0777 0 0"
	fi
	for p in "$@"; do echo "file /tests/${p##*/} $p 0755 0 0"; done
} > "$list"
"$kout/usr/gen_init_cpio" "$list" > "$out.tmp"
mv "$out.tmp" "$out"
