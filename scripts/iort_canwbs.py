#!/usr/bin/env python3
"""iort_canwbs.py TESTS_LOG OUT.aml: take the IORT that guest/acpi_table
printed into TESTS_LOG (QEMU's own), set the CANWBS memory access flag of
every PCI root complex node, raise the OEM revision (so that the kernel's
ACPI table upgrade takes it) and fix the checksum; write the table to
OUT.aml. Nothing else of it changes."""
import re
import struct
import sys

IORT_NODE_PCI_ROOT_COMPLEX = 2
MF_CANWBS = 1 << 2          # IORT issue E.f, memory access flags bit 2

hexdata = None
for line in open(sys.argv[1], errors='replace'):
    m = re.search(r'\bIORT (\d+) ([0-9a-f]+)\s*$', line)
    if m:
        hexdata = bytes.fromhex(m.group(2))
        assert len(hexdata) == int(m.group(1))
if not hexdata:
    sys.exit('iort_canwbs: no IORT in ' + sys.argv[1])
t = bytearray(hexdata)
assert t[0:4] == b'IORT' and struct.unpack_from('<I', t, 4)[0] == len(t)
nodes, off = struct.unpack_from('<II', t, 36)
patched = 0
for _ in range(nodes):
    ntype, nlen = t[off], struct.unpack_from('<H', t, off + 1)[0]
    if ntype == IORT_NODE_PCI_ROOT_COMPLEX:
        # 16-byte node header, then the 8-byte memory access properties
        # whose last byte holds the flags
        maf = off + 16 + 7
        print(f'iort_canwbs: root complex node at {off:#x}: memory access '
              f'flags {t[maf]:#x} -> {t[maf] | MF_CANWBS:#x}')
        t[maf] |= MF_CANWBS
        patched += 1
    off += nlen
if not patched:
    sys.exit('iort_canwbs: the IORT has no PCI root complex node')
struct.pack_into('<I', t, 24, struct.unpack_from('<I', t, 24)[0] + 1)
t[9] = 0
t[9] = (-sum(t)) & 0xff
assert sum(t) & 0xff == 0
open(sys.argv[2], 'wb').write(t)
