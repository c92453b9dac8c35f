#!/bin/bash
# bisect.sh TREE B: build every patch of the series in turn (x86_64 kernel and
# guest programs, and the arm64 IOMMU and IORT code with its KUnit module,
# incrementally), to show each one builds on its own.  FROM=N starts at the
# series' Nth patch (the ones before it are taken as already shown).
set -eu
tree=$1 b=$2
top=$(cd "$(dirname "$0")/.." && pwd)
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	{ echo "bisect: $tree has uncommitted changes" >&2; exit 1; }
head=$(git -C "$tree" symbolic-ref -q --short HEAD || git -C "$tree" rev-parse HEAD)
trap 'git -C "$tree" checkout -q "$head"' EXIT
from=${FROM:-1}
for c in $(git -C "$tree" rev-list --reverse base..HEAD | tail -n +"$from"); do
	git -C "$tree" checkout -q "$c"
	echo "bisect: $(git -C "$tree" log -1 --format='%h %s')"
	KCONFIG_ALLOW_NEW=1 "$top/scripts/kernel.sh" x86_64 "$tree" "$b/x86_64" \
		"$top/configs/x86_64.config" "$top/configs/debug.config" >/dev/null
	"$top/scripts/guest.sh" x86_64 "$tree" "$b/x86_64"
	KCONFIG_ALLOW_NEW=1 KTARGETS="drivers/iommu/ drivers/acpi/arm64/" \
		"$top/scripts/kernel.sh" arm64 "$tree" "$b/arm64" \
		"$top/configs/arm64.config" "$top/configs/debug.config" >/dev/null
done
echo "bisect: every patch builds"
