#!/bin/bash
# check.sh TREE LOGROOT ARCH...: boot every run of tests/runs for the given
# arches (or only those named in RUNS="a b"), QEMU_JOBS (default 2) at a time,
# then judge them all with verdict.py.
set -eu
tree=$1 logroot=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
b=$(dirname "$logroot")
jobs=${QEMU_JOBS:-2}
python3 "$top/scripts/verdict_test.py" "$tree" >/dev/null ||
	{ python3 "$top/scripts/verdict_test.py" "$tree"; echo "check: verdict.py is broken" >&2; exit 1; }
rm -rf "$logroot"
dirs=()
while read -r name arch mode kunit progs; do
	case " $* " in *" $arch "*) ;; *) continue ;; esac
	case " ${RUNS:-$name} " in *" $name "*) ;; *) continue ;; esac
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
	echo "check: $name ($arch, $mode): $progs"
	KUNIT=$kunit "$top/scripts/qemu.sh" "$arch" "$mode" "$b/$arch/kernel.img" \
		"$b/$arch/guest/initramfs.cpio" "$logroot/$name" "$progs" \
		"${QEMU_TIMEOUT:-1800}" &
	dirs+=("$logroot/$name")
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/tests/runs")
wait
exec python3 "$top/scripts/verdict.py" "$tree" "$top/tests/expected" "${dirs[@]}"
