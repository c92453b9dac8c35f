#!/bin/bash
# docs.sh TREE OUT: build the Documentation/ books the series touches with the
# kernel's own 'make htmldocs' and fail on any warning about a file the series
# adds or changes (the base tree has warnings of its own).
set -u
# The Debian python, for which deps.sh installed the modules the kernel
# scripts import (ply for spdxcheck, sphinx), even if another one is first.
export PATH=/usr/bin:/bin:$PATH
tree=$1 out=$2
mkdir -p "$out"
books=$(git -C "$tree" diff --name-only base..HEAD -- 'Documentation/*.rst' |
	cut -d/ -f2 | sort -u | tr '\n' ' ')
if [ -z "$books" ]; then
	echo "docs: the series changes no documentation"
	exit 0
fi
touched=$(git -C "$tree" diff --name-only base..HEAD)
echo "docs: building $books"
start=$(date +%s)
make -s -C "$tree" O="$out" SPHINXDIRS="$books" htmldocs > "$out/docs.log" 2>&1
rc=$?
# Warnings name the file they are about: the .rst, or the source file that a
# kernel-doc directive pulled the comment from.
warn=$(grep -iE 'warning|error' "$out/docs.log" | grep -F "$touched" || true)
echo "docs: $(( $(date +%s) - start ))s, log in $out/docs.log"
if [ $rc -ne 0 ] || [ -n "$warn" ]; then
	[ -n "$warn" ] && echo "$warn"
	echo "docs: FAILED (make rc=$rc)"
	exit 1
fi
for b in $books; do
	echo "docs: $out/Documentation/output/$b/index.html"
done
echo "docs: clean"
