#!/bin/bash
# guest.sh ARCH TREE KOUT: build the static guest programs (init, the iommu
# kselftests, edu_dma, demo, viommu_bench, acpi_table, fuzz) against KOUT's
# installed uAPI headers and pack them into KOUT/guest/initramfs.cpio; on
# arm64, make the IORT upgrade of the nesting runs (scripts/iort.sh).
set -eu
arch=$1 tree=$2 kout=$3
top=$(cd "$(dirname "$0")/.." && pwd)
g=$kout/guest
mkdir -p "$g/selftests"
case $arch in
x86_64) cross= ;;
arm64) cross=aarch64-linux-gnu- ;;
esac
hdr="-isystem $kout/usr/include"

make -s -C "$tree/tools/testing/selftests/iommu" ARCH="$arch" \
	CROSS_COMPILE="$cross" OUTPUT="$g/selftests" KHDR_INCLUDES="$hdr" \
	LDFLAGS=-static -j"${JOBS:-2}" >/dev/null

cflags="-static -O2 -Wall -Werror $hdr -I$tree/tools/testing/selftests -I$tree/drivers/iommu/iommufd"
# Rebuilt when the source or any header changed: headers_install replaces the
# files without touching usr/include itself, and the mock ABI is in the tree.
for p in init edu_dma demo viommu_bench acpi_table fanout_bench fuzz; do
	src=$top/guest/$p.c
	[ -f "$src" ] || continue
	if [ ! -x "$g/$p" ] || [ "$src" -nt "$g/$p" ] ||
	   [ -n "$(find "$top/guest" -name '*.h' -newer "$g/$p" -print -quit)" ] ||
	   [ -n "$(find "$kout/usr/include" "$tree/drivers/iommu/iommufd/iommufd_test.h" \
		-newer "$g/$p" -print -quit)" ]; then
		${cross}gcc $cflags -o "$g/$p" "$src"
	fi
done
progs=("$g/selftests/iommufd" "$g/selftests/iommufd_fail_nth" "$g/edu_dma" "$g/fuzz")
[ -x "$g/demo" ] && progs+=("$g/demo")
[ -x "$g/viommu_bench" ] && progs+=("$g/viommu_bench")
[ "$arch" = arm64 ] && progs+=("$g/acpi_table" "$g/fanout_bench")
"$top/scripts/initramfs.sh" "$arch" "$kout" "$g/initramfs.cpio" "${progs[@]}"
# The arm64 nesting runs boot with QEMU's IORT upgraded to a CANWBS one
[ "$arch" != arm64 ] || "$top/scripts/iort.sh" "$kout"
