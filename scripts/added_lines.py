#!/usr/bin/env python3
"""added_lines.py TREE < compiler output: print the warnings and errors that
point at lines the series (base..HEAD in TREE) added."""
import re
import subprocess
import sys

tree = sys.argv[1]
diff = subprocess.run(['git', '-C', tree, 'diff', '-U0', 'base..HEAD'],
                      capture_output=True, text=True).stdout
added, cur = {}, None
for line in diff.splitlines():
    if line.startswith('+++ b/'):
        cur = line[6:]
    m = re.match(r'^@@ -\S+ \+(\d+)(?:,(\d+))? @@', line)
    if m and cur:
        start, n = int(m.group(1)), int(m.group(2) or 1)
        added.setdefault(cur, set()).update(range(start, start + n))
for line in sys.stdin:
    m = re.match(r'^(\S+?):(\d+):(?:\d+:)? (warning|error)', line)
    if not m:
        continue
    path = m.group(1)
    for f, lines in added.items():
        if path.endswith('/' + f) or path == f:
            if int(m.group(2)) in lines:
                print(line.rstrip())
