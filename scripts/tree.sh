#!/bin/bash
# tree.sh create TREE: (re)create the working kernel tree as a git repo: the
#                      base tagged "base", then one commit per patch.
# tree.sh sync TREE:   create it if missing; recreate it when patches/ changed
#                      (e.g. by a pull) and the tree holds no work of its own.
set -eu
mode=$1 tree=$2 top=$(cd "$(dirname "$0")/.." && pwd)
ex=$top/scripts/export.sh
# git needs a committer for the base commit and for git am; patches keep
# their own authors. A machine without a git identity gets a neutral one.
git config user.name >/dev/null || export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-harness} \
	GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-harness}
git config user.email >/dev/null || export GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-harness@localhost} \
	GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-harness@localhost}

apply_series() {
	local n=0 p
	while read -r p; do
		git -C "$tree" am -q --keep-cr "$top/patches/$p" || {
			echo "tree: patch $p does not apply" >&2
			git -C "$tree" am --abort
			exit 1
		}
		n=$((n + 1))
	done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series")
	rm -rf "$tree/.git/applied"
	cp -r "$top/patches" "$tree/.git/applied"
	echo "tree: $tree ready, base + $n patches"
}

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
	if [ "$mode" = sync ]; then
		# Re-apply on the existing base: git rewrites only the files
		# that differ, so the next build stays incremental.
		git -C "$tree" am --abort >/dev/null 2>&1 || true
		git -C "$tree" checkout -q -f -B master base
		apply_series
		exit 0
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
# Debian's linux-source adds '/*' to the top-level .gitignore (its packaging
# ignores everything at the top level), which would hide every file a patch
# adds. Drop that stanza, and only that, from the base commit.
python3 - <<'PY'
s = open('.gitignore').read()
mark = '#\n# Debian packaging: ignore everything at the top level'
if mark in s:
    open('.gitignore', 'w').write(s[:s.index(mark)].rstrip('\n') + '\n')
PY
git init -q -b master
git config core.autocrlf false
git config gc.auto 0
git add -A -f
GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
	git commit -q -m "Base: ${KERNEL_SRC:-$BASE_PKG $BASE_VERSION}"
git tag base
apply_series
