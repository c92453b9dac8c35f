#!/bin/bash
# bench.sh TREE B: build the x86_64 kernel without debug options, with the
# IOASID benchmark (the KUnit suite ioasid_bench), boot it under QEMU and print
# what it measured. Not a test: it prints numbers and ratios against the
# baselines measured in the same boot, and fails only if the boot does.
set -eu
tree=$1 b=$2
top=$(cd "$(dirname "$0")/.." && pwd)
out=$b/x86_64-bench logs=$b/logs/bench
"$top/scripts/kernel.sh" x86_64 "$tree" "$out" \
	"$top/configs/x86_64.config" "$top/configs/bench.config"
# The guest only has to boot and power off; KUnit runs the benchmark.
"$top/scripts/guest.sh" x86_64 "$tree" "$out"
QEMU_APPEND="kunit.filter_glob=ioasid_bench ${QEMU_APPEND:-}" \
	"$top/scripts/qemu.sh" x86_64 legacy "$out/kernel.img" \
	"$out/guest/initramfs.cpio" "$logs" - "${QEMU_TIMEOUT:-1800}"
echo "bench: QEMU $(cat "$logs/seconds" 2>/dev/null || echo '?') s, accel ${QEMU_ACCEL:-tcg}; times are of the emulated CPU"
grep -E '# ioasid_bench_[a-z0-9_]+: ' "$logs/console.log" |
	sed -E 's/^\[[ 0-9.]+\] +//; s/^ *# ioasid_bench_[a-z0-9_]+: /bench: /'
grep -q '^ *ok [0-9]* ioasid_bench$' <(tr -d '\r' < "$logs/console.log" | sed -E 's/^\[[ 0-9.]+\] +//') || {
	echo "bench: the benchmark did not complete, see $logs/console.log"
	exit 1
}
