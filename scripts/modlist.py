#!/usr/bin/env python3
"""modlist.py MODROOT: print the modules installed under MODROOT/lib/modules/
REL in an order they can be loaded in (each after the modules it depends on,
from depmod's modules.dep), as paths relative to MODROOT/lib/modules. A KUnit
suite's module (one with a .kunit_test_suites section) is marked "kunit ",
for init to load only in boots with KUnit enabled."""
import os
import struct
import sys


def sections(path):
    """The section names of an ELF64 little-endian file"""
    data = open(path, 'rb').read()
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
    strtab = shoff + shstrndx * shentsize
    stroff, = struct.unpack_from('<Q', data, strtab + 0x18)
    names = []
    for i in range(shnum):
        name, = struct.unpack_from('<I', data, shoff + i * shentsize)
        end = data.index(b'\0', stroff + name)
        names.append(data[stroff + name:end].decode())
    return names


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
    kunit = '.kunit_test_suites' in sections(os.path.join(base, mod))
    print(('kunit ' if kunit else '') + os.path.join(rel, mod))
