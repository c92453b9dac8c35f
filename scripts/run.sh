#!/bin/bash
# run.sh ARCH...: boot each ARCH's guest, one after the other, with the IOMMU
# its report needs (x86_64: VT-d in legacy mode; arm64: the nesting SMMUv3
# behind a CANWBS root complex; with a single ARCH, MODE picks another mode)
# and print the report the guest's demo program writes (guest/demo.c), then
# the last IOMMU fault the kernel logged. Ends with one line per guest;
# non-zero if a step failed or a guest did not finish its report.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
rc=0 summary=()
for arch; do
	case $arch in
	x86_64) mode=legacy ;;
	arm64) mode=smmuv3 ;;
	*) echo "run: no guest for $arch" >&2; exit 2 ;;
	esac
	[ $# -gt 1 ] || mode=${MODE:-$mode}
	logs=$b/logs/run-$arch
	mkdir -p "$logs"
	rm -f "$logs/console.log" "$logs/tests.log"
	echo "run: booting the $arch guest ($mode); its kernel log goes to $logs/console.log"
	KUNIT=no "$top/scripts/qemu.sh" "$arch" "$mode" "$b/$arch/kernel.img" \
		"$b/$arch/guest/initramfs.cpio" "$logs" demo 600 >"$logs/run.log" 2>&1 ||
		{ echo "run: the $arch guest failed to boot or finish:"; tail -5 "$logs/run.log"; }
	# The report, without the markers; all of it if the guest died part way
	sed -n '/^### BEGIN demo/,/^### END demo/{/^### /d;p}' "$logs/tests.log" 2>/dev/null |
		sed -e 's/^\[ *[0-9.]*\] //'
	line=$(sed 's/^\[ *[0-9.]*\] //' "$logs/tests.log" 2>/dev/null |
	       grep -a '^report (' | tail -1)
	if ! grep -aq '^### END demo rc=0' "$logs/tests.log" 2>/dev/null; then
		rc=1
		if [ -z "$line" ]; then
			line="report ($arch): did not finish (see $logs)"
			# One guest: the report has no summary line of its own
			[ $# -gt 1 ] || echo "$line"
		fi
	fi
	summary+=("$line")
	# The last IOMMU fault the kernel logged: the SMMUv3 driver prints the
	# emulated SMMU's event record, the VT-d driver its fault record
	faults=$(sed 's/^\[ *[0-9.]*\] //' "$logs/console.log" 2>/dev/null |
		 grep -aE -A4 'arm-smmu-v3.*event 0x[0-9a-f]+ received' | tail -5)
	[ -n "$faults" ] || faults=$(sed 's/^\[ *[0-9.]*\] //' "$logs/console.log" 2>/dev/null |
		 grep -aE 'DMAR: \[DMA (Read|Write)' | tail -1)
	[ -z "$faults" ] || printf '\nthe last IOMMU fault the kernel logged:\n%s\n' "$faults"
	echo
done
[ $# -lt 2 ] || printf '%s\n' "${summary[@]}"
exit $rc
