#!/bin/bash
# initramfs.sh ARCH KOUT OUT.cpio PROG...: pack the guest init, the test
# programs (static binaries), the kernel's modules if it has any (with the
# order to load them in) and, on x86_64, busybox for 'make shell', using the
# kernel's own gen_init_cpio.
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
	# The kernel's modules, and the order init loads them in
	if [ -d "$kout/modroot/lib/modules" ]; then
		"$(dirname "$0")/modlist.py" "$kout/modroot" > "$(dirname "$out")/load.list"
		echo "dir /lib 0755 0 0"
		(cd "$kout/modroot" && find lib/modules -type d | sort) |
			sed 's|^\(.*\)$|dir /\1 0755 0 0|'
		sed -e 's/^kunit //' \
		    -e "s|^\(.*\)$|file /lib/modules/\1 $kout/modroot/lib/modules/\1 0644 0 0|" \
			"$(dirname "$out")/load.list"
		echo "file /lib/modules/load.list $(dirname "$out")/load.list 0644 0 0"
	fi
} > "$list"
"$kout/usr/gen_init_cpio" "$list" > "$out.tmp"
mv "$out.tmp" "$out"
