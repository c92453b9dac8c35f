#!/bin/bash
# export.sh export TREE      rewrite patches/ (and series) from base..HEAD
# export.sh check TREE       fail when TREE has uncommitted changes or commits
#                            that differ from patches/
# export.sh same TREE DIR    succeed when base..HEAD equals the series in DIR
set -eu
mode=$1 tree=$2 top=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$tree/.git" ] || { echo "export: no tree at $tree" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Deterministic: zero commit hash, no signature, stable numbered names.
git -C "$tree" format-patch -q --zero-commit --no-signature --no-numbered \
	-o "$tmp/new" base..HEAD >/dev/null
(cd "$tmp/new" && ls -1 -- *.patch 2>/dev/null || true) > "$tmp/new.list"

# same DIR: the series DIR/series names, in order, with identical contents
same() {
	local d=$1
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$d/series" 2>/dev/null > "$tmp/old.list" || true
	cmp -s "$tmp/new.list" "$tmp/old.list" || return 1
	while read -r p; do
		cmp -s "$tmp/new/$p" "$d/$p" || return 1
	done < "$tmp/new.list"
}

case $mode in
export)
	rm -f "$top"/patches/*.patch
	[ -z "$(ls "$tmp/new")" ] || cp "$tmp"/new/*.patch "$top/patches/"
	{
		printf '# Patch series, applied in order onto the pinned base (see base.conf).\n'
		cat "$tmp/new.list"
	} > "$top/patches/series"
	# The tree now matches patches/: remember that for 'tree.sh sync'.
	rm -rf "$tree/.git/applied" && cp -r "$top/patches" "$tree/.git/applied"
	echo "export: $(wc -l < "$tmp/new.list") patches in patches/"
	;;
check)
	dirty=$(git -C "$tree" status --porcelain --untracked-files=no)
	if [ -n "$dirty" ]; then
		echo "export-check: uncommitted changes in $tree:"
		echo "$dirty" | head -n 20
		exit 1
	fi
	if ! same "$top/patches"; then
		echo "export-check: the commits in $tree differ from patches/ (make export):"
		diff "$tmp/new.list" "$tmp/old.list" || true
		exit 1
	fi
	;;
same)
	same "$3"
	;;
*)
	echo "usage: export.sh export|check|same TREE [DIR]" >&2; exit 2 ;;
esac
