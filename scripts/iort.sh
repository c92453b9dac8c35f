#!/bin/bash
# iort.sh KOUT: make KOUT/guest/acpi-canwbs.cpio, an initrd prefix for the
# arm64 guest that upgrades QEMU's IORT to one whose PCI root complex is
# CANWBS, through the kernel's ACPI table upgrade from the initrd.
#
# QEMU's virt machine describes its root complex as fully coherent with the
# memory access flags CPM and DACS, but without CANWBS (IORT issue E.f),
# which is what a vSMMU needs from the firmware; under TCG the emulated
# device's accesses are coherent whatever their attributes, so the upgraded
# table describes this machine truthfully. The table is QEMU's own, read
# from a boot of the guest, with that one flag set: see iort_canwbs.py.
# It is made again when QEMU or its firmware changes.
set -eu
kout=$1
top=$(cd "$(dirname "$0")/.." && pwd)
g=$kout/guest
fw=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
key="$(qemu-system-aarch64 --version | head -1) $(sha256sum < "$fw" | cut -c1-16)"
if [ -f "$g/acpi-canwbs.cpio" ] && [ "$(cat "$g/acpi-canwbs.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "iort: reading QEMU's IORT ($key)"
KUNIT=no "$top/scripts/qemu.sh" arm64 smmuv3-acpi "$kout/kernel.img" \
	"$g/initramfs.cpio" "$tmp/boot" acpi_table:IORT 600
mkdir -p "$tmp/root"
python3 "$top/scripts/iort_canwbs.py" "$tmp/boot/tests.log" "$tmp/iort.aml" || {
	tail -20 "$tmp/boot/console.log" >&2
	exit 1
}
printf '%s\n' "dir /kernel 0755 0 0" "dir /kernel/firmware 0755 0 0" \
	"dir /kernel/firmware/acpi 0755 0 0" \
	"file /kernel/firmware/acpi/iort.aml $tmp/iort.aml 0644 0 0" > "$tmp/list"
"$kout/usr/gen_init_cpio" "$tmp/list" > "$g/acpi-canwbs.cpio"
echo "$key" > "$g/acpi-canwbs.key"
