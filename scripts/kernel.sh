#!/bin/bash
# kernel.sh ARCH TREE OUT FRAGMENT...: configure (tinyconfig + fragments, with
# the kernel's merge_config.sh), verify, and build the kernel image plus the
# installed uAPI headers (and modules, if the config has them), incrementally,
# with ccache; or, with KTARGETS set, only those directories or objects.
# KPROGRESS=1 (make run) prints a line when the image needs building, then
# one per 1000 files compiled.
set -eu
SECONDS=0	# bash's timer: 'make fuzz SECONDS=N' passes one in the environment
arch=$1 tree=$2 out=$3
shift 3
top=$(cd "$(dirname "$0")/.." && pwd)

case $arch in
x86_64) cross= image=arch/x86/boot/bzImage ;;
arm64)  cross=aarch64-linux-gnu- image=arch/arm64/boot/Image ;;
*) echo "kernel: unknown ARCH $arch" >&2; exit 2 ;;
esac
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=iommu KBUILD_BUILD_HOST=series
cc=${cross}gcc
command -v ccache >/dev/null && cc="ccache $cc"
kmake() {
	make -s -C "$tree" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" \
		CC="$cc" HOSTCC="${HOSTCC:-gcc}" -j"${JOBS:-2}" "$@"
}
mkdir -p "$out"

# The requested symbols that .config does not have, one message each. Where
# fragments disagree, the last one wins, as in merge_config.sh.
config_problems() {
	local l s
	while IFS= read -r l; do
		case $l in
		CONFIG_*=n)
			s=${l%%=*}
			if grep -q "^$s=" "$out/.config"; then
				echo "kernel: $s=n requested but set"
			fi ;;
		CONFIG_*=*)
			s=${l%%=*}
			if ! grep -qxF "$l" "$out/.config" && [ -n "${KCONFIG_ALLOW_NEW:-}" ] &&
			   ! git -C "$tree" grep -q "^\(menu\)\?config ${s#CONFIG_}\$" -- '*Kconfig*' \
			     2>/dev/null; then
				# bisect: a symbol a later patch adds
				echo "kernel: $s is not in this tree yet" >&2
			elif ! grep -qxF "$l" "$out/.config"; then
				echo "kernel: '$l' requested, got '$(grep "^${l%%=*}=" "$out/.config" || echo unset)'"
			fi ;;
		esac
	done < <(grep -h '^CONFIG_' "$@" | tac | awk -F= '!seen[$1]++' | tac)
}

# Reconfigure when a fragment or the tree's Kconfig changed (a patch that adds
# a symbol must not leave it to the silent defaults of syncconfig), or when
# .config lost a requested symbol some other way (a build by hand of an older
# patch in the same directory, whose syncconfig dropped it).
stamp=$( (cat "$@"; git -C "$tree" ls-files -s -- '*Kconfig*';
	  git -C "$tree" diff -- '*Kconfig*') | sha256sum | cut -c1-16)
if [ "$(cat "$out/.frag-stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$out/.config" ] ||
   [ -n "$(config_problems "$@" 2>/dev/null)" ]; then
	kmake tinyconfig >/dev/null
	cp "$out/.config" "$out/.tiny.config"
	(cd "$out" && ARCH=$arch CROSS_COMPILE=$cross \
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" .tiny.config "$@" >/dev/null)
	kmake olddefconfig >/dev/null
	# A requested symbol that olddefconfig dropped is an error.
	problems=$(config_problems "$@")
	if [ -n "$problems" ]; then
		echo "$problems" >&2
		exit 1
	fi
	echo "$stamp" > "$out/.frag-stamp"
fi

# KTARGETS: build only these (with W=1), for a configuration that is only
# compiled, never booted
if [ -n "${KTARGETS:-}" ]; then
	# shellcheck disable=SC2086
	kmake W=1 $KTARGETS
	echo "kernel: $arch $(cd "$tree" && git describe --always --tags 2>/dev/null) compiled $KTARGETS in $out (${SECONDS}s)"
	exit 0
fi
if [ -n "${KPROGRESS:-}" ]; then
	# kbuild's own lines, counted: silent when nothing is compiled
	set -o pipefail
	make -C "$tree" O="$out" ARCH="$arch" CROSS_COMPILE="$cross" \
		CC="$cc" HOSTCC="${HOSTCC:-gcc}" -j"${JOBS:-2}" "${image##*/}" |
		awk -v arch="$arch" '/^  (CC|AS|LD|AR)( \[M\])? / {
			if (++n == 1)
				printf "kernel: building the %s kernel (from cold: about 5 minutes)\n", arch
			if (n % 1000 == 0)
				printf "kernel: %s: %d files built\n", arch, n
			fflush() }'
	set +o pipefail
else
	kmake "${image##*/}"
fi
# A modular config: its modules, installed (and depmod'ed) for the initramfs
rm -rf "$out/modroot"
if grep -q '^CONFIG_MODULES=y' "$out/.config"; then
	kmake modules
	kmake modules_install INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 >/dev/null
fi
kmake headers_install INSTALL_HDR_PATH="$out/usr" >/dev/null
ln -sf "$out/$image" "$out/kernel.img"
echo "kernel: $arch $(cd "$tree" && git describe --always --tags 2>/dev/null) -> $out/$image (${SECONDS}s)"
