#!/usr/bin/env python3
"""modlist.py MODROOT: print the modules installed under MODROOT/lib/modules/
REL in an order they can be loaded in (each after the modules it depends on,
from depmod's modules.dep), as paths relative to MODROOT/lib/modules."""
import os
import sys

root = os.path.join(sys.argv[1], 'lib', 'modules')
rel = os.listdir(root)[0]
base = os.path.join(root, rel)
deps = {}
for line in open(os.path.join(base, 'modules.dep')):
    mod, _, rest = line.partition(':')
    deps[mod.strip()] = rest.split()
seen = []


def add(mod):
    if mod in seen:
        return
    # modules.dep lists the dependencies to load last first
    for d in reversed(deps.get(mod, [])):
        add(d)
    seen.append(mod)


for line in open(os.path.join(base, 'modules.order')):
    mod = line.strip()
    if mod:
        add(mod if mod in deps else mod.replace('.o', '.ko'))
for mod in seen:
    print(os.path.join(rel, mod))
