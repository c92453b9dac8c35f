#!/bin/bash
# tree.sh create TREE: (re)create the working kernel tree as a git repo: the
#                      base tagged "base", then one commit per patch.
# tree.sh sync TREE:   create it if missing; recreate it when patches/ changed
#                      (e.g. by a pull) and the tree holds no work of its own.
set -eu
mode=$1 tree=$2 top=$(cd "$(dirname "$0")/.." && pwd)
ex=$top/scripts/export.sh

if [ -d "$tree/.git" ]; then
	if [ "$mode" = sync ]; then
		# Up to date: the tree was made (or exported) from these patches.
		diff -rq "$top/patches" "$tree/.git/applied" >/dev/null 2>&1 && exit 0
		echo "tree: patches/ changed since $tree was made"
	fi
	# Work is safe when it is in patches/, or when the tree has nothing
	# beyond the patches it was made from.
	if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	   ! { "$ex" same "$tree" "$top/patches" ||
	       "$ex" same "$tree" "$tree/.git/applied"; } 2>/dev/null; then
		echo "tree: $tree holds work that is not in patches/;" \
		     "run 'make export' (or remove the tree by hand)" >&2
		exit 1
	fi
	rm -rf "$tree"
fi
mkdir -p "$tree"

if [ -n "${KERNEL_SRC:-}" ]; then
	echo "tree: base from $KERNEL_SRC"
	git -C "$KERNEL_SRC" archive --format=tar HEAD | tar -x -C "$tree"
else
	echo "tree: base from $BASE_TARBALL"
	tar -xJf "$BASE_TARBALL" -C "$tree" --strip-components=1
fi
cd "$tree"
git init -q -b master
git config core.autocrlf false
git config gc.auto 0
git add -A -f
GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
	git commit -q -m "Base: ${KERNEL_SRC:-$BASE_PKG $BASE_VERSION}"
git tag base
n=0
while read -r p; do
	git am -q --keep-cr "$top/patches/$p" || {
		echo "tree: patch $p does not apply" >&2
		git am --abort
		exit 1
	}
	n=$((n + 1))
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series")
cp -r "$top/patches" "$tree/.git/applied"
echo "tree: $tree ready, base + $n patches"
