#!/bin/bash
# base.sh: check the base against the pin in base.conf (warn, never fail, on a
# different installed version; fail only when there is no base at all).
set -eu
if [ -n "${KERNEL_SRC:-}" ]; then
	[ -f "$KERNEL_SRC/Makefile" ] || { echo "base: KERNEL_SRC=$KERNEL_SRC is not a kernel tree" >&2; exit 1; }
	v=$(make -s -C "$KERNEL_SRC" kernelversion 2>/dev/null)
	case $v in 6.12*) ;; *) echo "base: NOTE: KERNEL_SRC is $v, the series is for 6.12" ;; esac
	exit 0
fi
[ -f "$BASE_TARBALL" ] || { echo "base: $BASE_TARBALL missing (make deps)" >&2; exit 1; }
have=$(dpkg-query -W -f='${Version}' "$BASE_PKG" 2>/dev/null || echo none)
if [ "$have" != "$BASE_VERSION" ]; then
	echo "base: NOTE: $BASE_PKG $have is installed, the pin is $BASE_VERSION;"
	echo "base:       patches may need a refresh (continuing)"
elif [ "$(sha256sum < "$BASE_TARBALL" | cut -d' ' -f1)" != "$BASE_SHA256" ]; then
	echo "base: NOTE: $BASE_TARBALL does not match the pinned sha256 (continuing)"
fi
