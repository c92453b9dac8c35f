#!/bin/bash
# check.sh TREE LOGROOT ARCH...: boot every run of tests/runs for the given
# arches (or only those named in RUNS="a b"), then judge them with verdict.py.
set -eu
tree=$1 logroot=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
b=$(dirname "$logroot")
rm -rf "$logroot"
dirs=()
while read -r name arch mode kunit progs; do
	case " $* " in *" $arch "*) ;; *) continue ;; esac
	case " ${RUNS:-$name} " in *" $name "*) ;; *) continue ;; esac
	img=$b/$arch/kernel.img
	echo "check: $name ($arch, $mode): $progs"
	KUNIT=$kunit "$top/scripts/qemu.sh" "$arch" "$mode" "$img" \
		"$b/$arch/guest/initramfs.cpio" "$logroot/$name" "$progs" \
		"${QEMU_TIMEOUT:-1500}"
	dirs+=("$logroot/$name")
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/tests/runs")
exec python3 "$top/scripts/verdict.py" "$tree" "$top/tests/expected" "${dirs[@]}"
