#!/bin/bash
# bench.sh TREE B: build the x86_64 kernel without debug options, with the
# IOASID benchmark (the KUnit suite ioasid_bench), boot it under QEMU, run the
# guest program viommu_bench (vIOMMU invalidation on the iommufd mock driver)
# and print what both measured; then the same for arm64 with fanout_bench
# (the SMMUv3 stage-2 fan-out against the number of vSMMUs, with the SMMU's
# commands counted from QEMU's trace). Not a test: it prints numbers and
# ratios against the baselines measured in the same boot, and fails only if
# a boot does, the KUnit suite does not complete, a program fails (rc != 0)
# or the fan-out's commands do not add up.
set -eu
tree=$1 b=$2
top=$(cd "$(dirname "$0")/.." && pwd)
out=$b/x86_64-bench logs=$b/logs/bench
"$top/scripts/kernel.sh" x86_64 "$tree" "$out" \
	"$top/configs/x86_64.config" "$top/configs/bench.config"
# KUnit runs the IOASID benchmark at boot, then the guest runs viommu_bench.
"$top/scripts/guest.sh" x86_64 "$tree" "$out"
QEMU_APPEND="kunit.filter_glob=ioasid_bench ${QEMU_APPEND:-}" \
	"$top/scripts/qemu.sh" x86_64 legacy "$out/kernel.img" \
	"$out/guest/initramfs.cpio" "$logs" viommu_bench "${QEMU_TIMEOUT:-1800}"
echo "bench: QEMU $(cat "$logs/seconds" 2>/dev/null || echo '?') s, accel ${QEMU_ACCEL:-tcg}; times are of the emulated CPU"
grep -E '# ioasid_bench_[a-z0-9_]+: ' "$logs/console.log" |
	sed -E 's/^\[[ 0-9.]+\] +//; s/^ *# ioasid_bench_[a-z0-9_]+: /bench: /'
# viommu_bench's output, between its markers, each line behind the seconds
# since it started (see guest/init.c)
tr -d '\r' < "$logs/tests.log" |
	sed -n '/^### BEGIN viommu_bench$/,/^### END viommu_bench /p' |
	sed -E 's/^\[[ 0-9.]+\] //' | grep '^bench: ' || true
rc=0
grep -q '^ *ok [0-9]* ioasid_bench$' <(tr -d '\r' < "$logs/console.log" | sed -E 's/^\[[ 0-9.]+\] +//') || {
	echo "bench: the benchmark did not complete, see $logs/console.log"
	rc=1
}
end=$(tr -d '\r' < "$logs/tests.log" | grep -m1 '^### END viommu_bench ' || true)
[ "$end" = '### END viommu_bench rc=0' ] || {
	echo "bench: viommu_bench failed (${end:-no END marker}), see $logs/tests.log"
	rc=1
}

# The SMMUv3 stage-2 fan-out, on arm64 without the debug options: the guest
# program fanout_bench under QEMU, which traces every command its SMMU takes
aout=$b/arm64-bench alogs=$b/logs/bench-arm64
"$top/scripts/kernel.sh" arm64 "$tree" "$aout" "$top/configs/arm64.config"
"$top/scripts/guest.sh" arm64 "$tree" "$aout"
mkdir -p "$alogs"
KUNIT=no QEMU_EXTRA="-trace enable=smmuv3_cmdq_opcode,file=$alogs/smmu.trace" \
	"$top/scripts/qemu.sh" arm64 smmuv3 "$aout/kernel.img" \
	"$aout/guest/initramfs.cpio" "$alogs" fanout_bench "${QEMU_TIMEOUT:-1800}"
echo "bench: arm64 QEMU $(cat "$alogs/seconds" 2>/dev/null || echo '?') s"
tr -d '\r' < "$alogs/tests.log" | grep '^\[[ 0-9.]*\] bench: fanout_bench' || true
python3 "$top/scripts/fanout_report.py" "$alogs/tests.log" "$alogs/smmu.trace" || {
	echo "bench: the fan-out was not measured, see $alogs"
	rc=1
}
exit $rc
