#!/bin/bash
# Install the Debian packages the harness needs (run as root; idempotent).
# QEMU comes from bookworm-backports: its SMMUv3 model nests and its VT-d
# model has first-stage translation. The backports stanza is derived from the
# machine's own bookworm apt source (same mirror, same keyring).
set -eu

PKGS="linux-source-6.12 python3-sphinx python3-sphinx-rtd-theme python3-ply python3-git busybox-static gcc-aarch64-linux-gnu flex bison bc
libc6-dev-arm64-cross libelf-dev libssl-dev cpio dwarves kmod rsync ccache sparse python3
xz-utils git make gcc libc6-dev qemu-efi-aarch64"
QEMU_PKGS="qemu-system-x86 qemu-system-arm"
BPO=/etc/apt/sources.list.d/project-bookworm-backports.sources

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || echo "$p"
	done
}

add_backports() {
	[ -e "$BPO" ] && return 0
	grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
	python3 - "$BPO" <<'PY'
import glob, sys
# deb822 first, then one-line format.
for f in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
    for st in open(f).read().split('\n\n'):
        kv = dict(l.split(':', 1) for l in st.splitlines()
                  if ':' in l and not l.startswith('#'))
        kv = {k.strip(): v.strip() for k, v in kv.items()}
        if 'bookworm' in kv.get('Suites', '').split():
            out = ['Types: deb', 'URIs: ' + kv['URIs'],
                   'Suites: bookworm-backports',
                   'Components: ' + kv.get('Components', 'main')]
            if 'Signed-By' in kv:
                out.append('Signed-By: ' + kv['Signed-By'])
            open(sys.argv[1], 'w').write('\n'.join(out) + '\n')
            sys.exit(0)
for f in ['/etc/apt/sources.list'] + glob.glob('/etc/apt/sources.list.d/*.list'):
    try:
        lines = open(f).read().splitlines()
    except OSError:
        continue
    for l in lines:
        w = l.split()
        if len(w) >= 3 and w[0] == 'deb' and 'bookworm' in w:
            i = w.index('bookworm')
            w[i] = 'bookworm-backports'
            open(sys.argv[1][:-8] + '.list', 'w').write(' '.join(w) + '\n')
            sys.exit(0)
sys.exit('deps: no bookworm apt source found to derive backports from')
PY
}

# The arm64-smmuv3-s1 run needs an SMMUv3 that cannot nest, which QEMU 10's
# virt machine no longer offers: bookworm's own qemu-system-arm 7.2 has it.
# Unpack that package under build/qemu-7.2 (not installed: the system QEMU
# stays the backport). Needs no root, only the package lists.
q72=$(cd "$(dirname "$0")/.." && pwd)/build/qemu-7.2
fetch_qemu72() {
	local tmp
	[ -x "$q72/usr/bin/qemu-system-aarch64" ] && return 0
	tmp=$(mktemp -d)
	# apt downloads as its sandbox user where it can
	[ "$(id -u)" != 0 ] || chown _apt "$tmp" 2>/dev/null || true
	if ! (cd "$tmp" && apt-get download -qq qemu-system-arm/bookworm) ||
	   ! dpkg-deb -x "$tmp"/qemu-system-arm_*.deb "$tmp/root"; then
		rm -rf "$tmp"
		echo "deps: cannot fetch bookworm's qemu-system-arm (7.2)" >&2
		return 1
	fi
	mkdir -p "$(dirname "$q72")"
	rm -rf "$q72"
	mv "$tmp/root" "$q72"
	rm -rf "$tmp"
	echo "deps: QEMU $("$q72/usr/bin/qemu-system-aarch64" --version | sed -n '1s/.*version //p') in $q72"
}

need=$(missing $PKGS)
qemu_ok=1
for q in qemu-system-x86_64 qemu-system-aarch64; do
	v=$($q --version 2>/dev/null | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ -n "$v" ] && [ "$v" -ge 10 ] || qemu_ok=0
done
if [ -z "$need" ] && [ $qemu_ok = 1 ]; then
	fetch_qemu72
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing: $need $([ $qemu_ok = 1 ] || echo 'QEMU >= 10');" \
	     "run 'make deps' as root" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
[ $qemu_ok = 1 ] || add_backports
apt-get update -qq
[ -z "$need" ] || apt-get install -y -qq --no-install-recommends $need
[ $qemu_ok = 1 ] || apt-get install -y -qq --no-install-recommends \
	-t bookworm-backports $QEMU_PKGS
fetch_qemu72
