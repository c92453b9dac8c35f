#!/bin/bash
# qemu.sh ARCH MODE KERNEL INITRD LOGDIR TESTS [TIMEOUT]: boot the guest under
# QEMU with the emulated IOMMU configured for MODE and run TESTS (comma list;
# empty = interactive shell). The console goes to LOGDIR/console.log, the
# tests' output to LOGDIR/tests.log.
#   x86_64 modes: legacy (VT-d), sm (scalable, second stage), flts (scalable,
#                 first stage only)
#   arm64 modes:  smmuv3 (stage 1 + 2, nesting; UEFI + ACPI, the root complex
#                 CANWBS through scripts/iort.sh: vSMMUs work),
#                 smmuv3-acpi (the same with QEMU's own IORT: no CANWBS),
#                 smmuv3-dt (the same SMMU, device tree boot: no CANWBS),
#                 smmuv3-s1 (stage 1 only, on bookworm's QEMU 7.2: see below)
set -eu
arch=$1 mode=$2 kernel=$3 initrd=$4 logdir=$5 tests=$6 tmo=${7:-1200}
top=$(cd "$(dirname "$0")/.." && pwd)
accel=${QEMU_ACCEL:-tcg}
mkdir -p "$logdir"
: > "$logdir/tests.log"
append="panic=-1 oops=panic iommutest.mode=$mode ${QEMU_APPEND:-}"
[ -n "$tests" ] && append="$append iommutest.run=$tests"
[ "${KUNIT:-yes}" = yes ] || append="$append kunit.enable=0"
common=(-accel "$accel" -smp 2 -nodefaults -display none -no-reboot
	-device virtio-serial-pci
	-chardev "file,id=tests,path=$logdir/tests.log"
	-device virtconsole,chardev=tests
	-device edu -kernel "$kernel")

case $arch in
x86_64)
	vtd=intel-iommu,intremap=on,caching-mode=on
	case $mode in
	legacy) iommu_arg=intel_iommu=on ;;
	sm) vtd=$vtd,x-scalable-mode=on,x-pasid-mode=on iommu_arg=intel_iommu=on,sm_on ;;
	flts) vtd=$vtd,x-scalable-mode=on,x-flts=on iommu_arg=intel_iommu=on,sm_on ;;
	*) echo "qemu: unknown x86_64 mode $mode" >&2; exit 2 ;;
	esac
	cmd=(qemu-system-x86_64 -cpu max -m 1G
	     -machine q35,kernel-irqchip=split -device "$vtd" "${common[@]}" -initrd "$initrd"
	     -append "console=ttyS0 $iommu_arg $append") ;;
arm64)
	qemu=qemu-system-aarch64 boot=()
	uefi=(-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd)
	case $mode in
	smmuv3)
		acpi=$(dirname "$initrd")/acpi-canwbs.cpio
		[ -f "$acpi" ] || { echo "qemu: $acpi missing (scripts/iort.sh)" >&2; exit 2; }
		# The table upgrade must come first, uncompressed
		cat "$acpi" "$initrd" > "$logdir/initrd.cpio"
		initrd=$logdir/initrd.cpio
		boot=("${uefi[@]}") append="$append acpi=force" ;;
	smmuv3-acpi) boot=("${uefi[@]}") append="$append acpi=force" ;;
	smmuv3-dt) ;;
	# QEMU 10.0.2's virt machine always gives its SMMU both stages and
	# nesting (features 0x88705), whatever -global arm-smmuv3.stage says.
	# Bookworm's own QEMU 7.2 has the stage-1-only model (features 0x8305);
	# deps.sh unpacks it under build/qemu-7.2 without installing it.
	smmuv3-s1) qemu=${QEMU_S1:-$top/build/qemu-7.2/usr/bin/qemu-system-aarch64} ;;
	*) echo "qemu: unknown arm64 mode $mode" >&2; exit 2 ;;
	esac
	cmd=("$qemu" -machine virt,gic-version=3,iommu=smmuv3 -cpu max,pauth-impdef=on
	     -m 1G "${boot[@]}" "${common[@]}" -initrd "$initrd"
	     -append "console=ttyAMA0 $append") ;;
*) echo "qemu: unknown ARCH $arch" >&2; exit 2 ;;
esac

if [ -z "$tests" ]; then
	exec "${cmd[@]}" -serial mon:stdio
fi
start=$(date +%s)
boot() {
	rc=0
	# QEMU_EXTRA: more QEMU options (word-split), such as -trace for make bench
	# shellcheck disable=SC2086
	timeout --foreground -k 10 "$tmo" "${cmd[@]}" ${QEMU_EXTRA:-} -serial "file:$logdir/console.log" \
		</dev/null 2>"$logdir/qemu.log" || rc=$?
}
boot
# QEMU 7.2 has been seen to abort on an assertion of its own (iotlb_to_section,
# in its TCG memory map) while the guest enumerated PCI, before any test
# program ran. That is a crash of the emulator, not a result: boot such a
# guest once more, keeping the first boot's logs beside the second's. A second
# abort, or one after a test program started, stays a failure.
if [ $rc = 134 ] && ! grep -q '^### BEGIN' "$logdir/tests.log" 2>/dev/null; then
	for f in console qemu; do
		if [ -f "$logdir/$f.log" ]; then
			mv "$logdir/$f.log" "$logdir/$f-aborted.log"
		fi
	done
	echo "qemu: QEMU aborted before any test ran (see $logdir/qemu-aborted.log); booting again" >&2
	: > "$logdir/tests.log"
	boot
fi
echo "$(( $(date +%s) - start ))" > "$logdir/seconds"
[ $rc = 124 ] && echo "QEMU TIMEOUT after ${tmo}s" >> "$logdir/console.log"
exit 0
