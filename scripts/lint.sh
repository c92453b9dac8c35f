#!/bin/bash
# lint.sh TREE [KOUT...]: checkpatch --strict on every patch of the series
# (with the justified exceptions in lint/checkpatch-exceptions), kernel-doc on
# the C files the series touches, and W=1 + sparse on those built in each KOUT
# (a build/<arch> directory; one not built yet is skipped).
set -u
# The Debian python, for which deps.sh installed the modules the kernel
# scripts import (ply for spdxcheck, sphinx), even if another one is first.
export PATH=/usr/bin:/bin:$PATH
tree=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
fail=0
while read -r p; do
	ign=$(awk -v p="$p" '!/^#/ && NF >= 2 { if (p ~ glob($1)) printf "%s,", $2 }
		function glob(g) { gsub(/\./, "\\.", g); gsub(/\*/, ".*", g); return "^" g "$" }' \
		"$top/lint/checkpatch-exceptions")
	out=$(cd "$tree" && ./scripts/checkpatch.pl --strict --quiet --show-types \
		${ign:+--ignore "${ign%,}"} "$top/patches/$p" 2>&1)
	if [ -n "$out" ]; then
		echo "lint: checkpatch: $p"; echo "$out"; fail=1
	else
		echo "lint: checkpatch clean: $p"
	fi
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$top/patches/series")

files=$(git -C "$tree" diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h' |
	grep -v '^tools/' || true)
# kernel-doc: only warnings the series adds count (many files have old ones).
kdoc() { ./scripts/kernel-doc -none -Wall "$1" 2>&1 | sed -E 's/^[^ ]*:[0-9]+: //' | sort; }
for f in $files; do
	new=$(cd "$tree" && kdoc "$f")
	old=$(cd "$tree" && git show "base:$f" > "$f.lint-base" 2>/dev/null &&
		kdoc "$f.lint-base"; rm -f "$f.lint-base")
	out=$(comm -23 <(echo "$new") <(echo "$old") | sed '/^$/d')
	if [ -n "$out" ]; then
		echo "lint: kernel-doc: $f"; echo "$out"; fail=1
	fi
done
[ -z "$files" ] || echo "lint: kernel-doc checked $(echo $files | wc -w) files"

for kout in "$@"; do
	[ -f "$kout/.config" ] || continue
	case $(basename "$kout") in
	arm64) march=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
	*) march=() ;;
	esac
	objs=
	for f in $files; do
		case $f in *.c) [ -f "$kout/${f%.c}.o" ] && objs="$objs ${f%.c}.o" ;; esac
	done
	if [ -n "$objs" ]; then
		# Only warnings on lines the series adds count: some files
		# have W=1 warnings of their own in the base.
		out=$(make -s -C "$tree" O="$kout" "${march[@]}" W=1 C=2 $objs 2>&1 |
			python3 "$top/scripts/added_lines.py" "$tree")
		if [ -n "$out" ]; then
			echo "lint: W=1 / sparse ($(basename "$kout")):"; echo "$out"; fail=1
		else
			echo "lint: W=1 and sparse clean ($(basename "$kout")):$objs"
		fi
	fi
done
exit $fail
