#!/bin/bash
# fuzz.sh ARCH MODE SECONDS [FUZZ-ARGS]: boot one guest that runs only the
# fuzzer (guest/fuzz.c) for SECONDS, print its summary (calls, calls/s, the
# (ioctl, errno) pairs reached against those documented) and judge the boot
# as 'make check' does: a splat, a kmemleak report or a failed check fails.
set -eu
arch=$1 mode=$2 secs=$3 extra=${4:-}
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
logs=$b/logs/fuzz-$arch
args="fuzz:-t:$secs"
[ -z "$extra" ] || args="$args:$(echo "$extra" | tr ' ' ':')"
echo "fuzz: $arch ($mode), $secs s: $args"
KUNIT=no "$top/scripts/qemu.sh" "$arch" "$mode" "$b/$arch/kernel.img" \
	"$b/$arch/guest/initramfs.cpio" "$logs" "$args" $((secs + 900)) || true
# The summary, without the per-call logs of a failure (in tests.log)
sed -n '/^### BEGIN fuzz/,/^### END fuzz/p' "$logs/tests.log" |
	sed -e 's/^\[ *[0-9.]*\] //' | grep -v '^#  ' | sed '1d;$d'
expected=$(mktemp)
trap 'rm -f "$expected"' EXIT
echo "fuzz-$arch fuzz 6" > "$expected"
python3 "$top/scripts/verdict.py" "$b/linux" "$expected" "$logs" | tail -1
