#!/usr/bin/env python3
"""fanout_report.py TESTS_LOG SMMU_TRACE: print what guest/fanout_bench
measured, with the SMMU commands of each of its phases counted from QEMU's
trace of the commands its SMMU took (event smmuv3_cmdq_opcode). A phase
runs from one CMD_CFGI_CD_ALL marker to the next; the CMD_SYNC right after a
marker is the marker's own. Exits non-zero if the phases do not add up."""
import collections
import re
import sys

tests_log, trace = sys.argv[1], sys.argv[2]
times = []
unmaps = None
for line in open(tests_log, errors='replace'):
    m = re.search(r'bench: fanout (\d+) vSMMUs: (\d+) ns per map\+unmap', line)
    if m:
        times.append((int(m.group(1)), int(m.group(2))))
    m = re.search(r'bench: fanout phases (\d+), unmaps per phase (\d+)', line)
    if m:
        unmaps = int(m.group(2))
if not times or not unmaps:
    sys.exit('bench: fanout_bench printed no result')

phases, cur = [], None
for line in open(trace, errors='replace'):
    m = re.search(r'<--- (?:SMMU_)?(CMD_[A-Z0-9_]+)', line)
    if not m:
        continue
    op = m.group(1)
    if op == 'CMD_CFGI_CD_ALL':
        if cur is not None:
            phases.append(cur)
        cur = collections.Counter()
        continue
    if cur is not None:
        cur[op] += 1
if len(phases) != len(times):
    sys.exit(f'bench: {len(phases)} phases in the trace, {len(times)} timed')

base = times[0][1]
print(f'bench: fan-out of a nesting parent\'s unmap, {unmaps} map+unmap '
      'per count of vSMMUs (commands as QEMU\'s SMMU took them)')
for (n, ns), c in zip(times, phases):
    c['CMD_SYNC'] -= 1          # the marker's
    total = sum(c.values())
    print(f'bench: fanout {n:2d} vSMMUs: {total / unmaps:5.1f} commands and '
          f'{c["CMD_SYNC"] / unmaps:.2f} CMD_SYNC per unmap '
          f'(TLBI_S2_IPA {c["CMD_TLBI_S2_IPA"] / unmaps:.1f}, '
          f'TLBI_S12_VMALL {c["CMD_TLBI_S12_VMALL"] / unmaps:.1f}), '
          f'{ns} ns per map+unmap ({ns / base:.2f}x of 1 vSMMU)')
    if c['CMD_SYNC'] != unmaps or c['CMD_TLBI_S12_VMALL'] != n * unmaps:
        print(f'bench: fanout {n} vSMMUs: expected {unmaps} CMD_SYNC and '
              f'{n * unmaps} TLBI_S12_VMALL')
        sys.exit(1)
