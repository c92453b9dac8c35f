#!/usr/bin/env python3
"""verdict.py TREE EXPECTED RUNDIR...: parse the logs of test boots, print a
per-suite table and the closing line 'N passed, N failed, N skipped'; exit 1
on any failure, missing expected suite, kernel splat or QEMU timeout.

Each RUNDIR holds console.log (the kernel console: KUnit's KTAP and any
splat, and the one-line summaries of boot-time self-tests) and tests.log
(kselftest TAP between '### BEGIN name' and '### END name rc=N' markers,
then the kmemleak report)."""
import json
import os
import re
import subprocess
import sys
import tempfile

SPLATS = re.compile(
    r'(WARNING:|BUG:|kernel BUG at|KASAN:|UBSAN:|Oops|Kernel panic|'
    r'general protection fault|blocked for more than|'
    r'possible circular locking|possible recursive locking|inconsistent lock state|'
    r'lock held when returning|suspicious RCU usage|detected stall|'
    r'self-detected stall|unreferenced object|hung_task|soft lockup|'
    r'QEMU TIMEOUT)')
STAMP = re.compile(r'^\[\s*\d+\.\d+\] ')   # init's per-line seconds
TAP = re.compile(r'^(not ok|ok) \d+ (.*?)(\s+#\s*(SKIP|skip)\b.*)?$')


def leaves(group):
    for case in group.get('test_cases', []):
        yield case['status']
    for sub in group.get('sub_groups', []):
        yield from leaves(sub)


def kunit(tree, console):
    """KUnit suites from the console, through the kernel's own KTAP parser:
    one KTAP document for the suites built in, printed at boot, and one for
    each suite module loaded later."""
    docs, cur = [], None
    for line in open(console, errors='replace'):
        text = re.sub(r'^\[\s*\d+\.\d+\] ', '', line)
        if text.startswith('KTAP version'):
            cur = []
            docs.append(cur)
        if cur is not None:
            cur.append(line)
    suites = {}
    for doc in docs:
        with tempfile.NamedTemporaryFile('w', suffix='.log') as f:
            f.writelines(doc)
            f.flush()
            suites.update(kunit_doc(tree, f.name))
    return suites


def kunit_doc(tree, path):
    out = subprocess.run(
        [sys.executable, os.path.join(tree, 'tools/testing/kunit/kunit.py'),
         'parse', '--json', path], capture_output=True, text=True)
    text = out.stdout
    start = text.find('{')
    if start < 0:
        return {}
    try:
        top = json.loads(text[start:])
    except ValueError:
        return {}
    suites = {}
    for suite in top.get('sub_groups', []) + [
            {'name': c['name'], 'test_cases': [c]}
            for c in top.get('test_cases', [])]:
        st = list(leaves(suite))
        suites['kunit:' + suite['name']] = [
            st.count('PASS'), len(st) - st.count('PASS') - st.count('SKIP'),
            st.count('SKIP')]
    return suites


# Self-tests the kernel runs at boot and sums up in one line of its own
BOOT_SELFTESTS = {
    'boot:io-pgtable-arm': re.compile(
        r'arm-lpae io-pgtable: selftest: completed with (\d+) PASS (\d+) FAIL'),
}


def boot_selftests(console):
    suites = {}
    for line in open(console, errors='replace'):
        for name, pat in BOOT_SELFTESTS.items():
            m = pat.search(line)
            if m:
                suites[name] = [int(m.group(1)), int(m.group(2)), 0]
    return suites


def kselftests(tests_log):
    suites, cur, done = {}, None, False
    for line in open(tests_log, errors='replace'):
        line = STAMP.sub('', line.rstrip('\r\n'))
        if line.startswith('### BEGIN '):
            cur = line.split()[2]
            suites[cur] = [0, 0, 0]
            plan = None
        elif line.startswith('### END ') and cur:
            rc = int(line.rsplit('rc=', 1)[1])
            ran = sum(suites[cur])
            if cur != 'kmemleak' and (ran == 0 or (plan and ran < plan)
                                      or (rc not in (0, 4) and not suites[cur][1])):
                suites[cur][1] += 1     # crashed, truncated or bad exit status
                print(f'  {cur}: exit status {rc}, {ran} of {plan} results')
            cur = None
        elif line == '### DONE':
            done = True
        elif cur and cur != 'kmemleak':
            m = re.match(r'^1\.\.(\d+)$', line)
            if m:
                plan = int(m.group(1))
            m = TAP.match(line)
            if m:
                if m.group(3):
                    suites[cur][2] += 1
                elif m.group(1) == 'ok':
                    suites[cur][0] += 1
                else:
                    suites[cur][1] += 1
                    print(f'  {cur}: FAIL {m.group(2)}')
    suites.pop('kmemleak', None)
    return suites, done


def main():
    tree, expected_file, rundirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    expected, minimum = [], {}
    for line in open(expected_file):
        line = line.split('#')[0].split()
        if line:
            expected.append((line[0], line[1]))
            if len(line) > 2:
                minimum[(line[0], line[1])] = int(line[2])
    total = [0, 0, 0]
    rows, bad = [], []
    seen = set()
    for rd in rundirs:
        run = os.path.basename(rd.rstrip('/'))
        console = os.path.join(rd, 'console.log')
        tlog = os.path.join(rd, 'tests.log')
        if not os.path.exists(console):
            bad.append(f'{run}: no console log')
            continue
        suites = kunit(tree, console)
        suites.update(boot_selftests(console))
        ks, done = kselftests(tlog) if os.path.exists(tlog) else ({}, False)
        suites.update(ks)
        if not done:
            bad.append(f'{run}: the guest did not finish (see {console})')
        for path in (console, tlog):
            if not os.path.exists(path):
                continue
            for n, line in enumerate(open(path, errors='replace'), 1):
                if SPLATS.search(line):
                    bad.append(f'{run}: splat at {os.path.basename(path)}:{n}: '
                               f'{line.strip()[:120]}')
        secs = open(os.path.join(rd, 'seconds')).read().strip() \
            if os.path.exists(os.path.join(rd, 'seconds')) else '?'
        for name, (p, f, s) in suites.items():
            rows.append((run, name, p, f, s, secs))
            if p < minimum.get((run, name), 0):
                bad.append(f'{run}: {name} passed {p} cases, fewer than the '
                           f'{minimum[(run, name)]} it must run')
            seen.add((run, name))
            total = [total[0] + p, total[1] + f, total[2] + s]
    for run, name in expected:
        if (run, name) not in seen and any(
                os.path.basename(r.rstrip('/')) == run for r in rundirs):
            bad.append(f'{run}: expected suite {name} did not report')
    w = max([len(r[1]) for r in rows] + [5])
    rw = max([len(r[0]) for r in rows] + [14])
    print(f'\n{"run":<{rw}} {"suite":<{w}} {"pass":>5} {"fail":>5} {"skip":>5}  boot s')
    for run, name, p, f, s, secs in rows:
        print(f'{run:<{rw}} {name:<{w}} {p:>5} {f:>5} {s:>5}  {secs}')
    for b in bad:
        print('!!', b)
    total[1] += len(bad)    # each splat, missing suite or hung boot fails
    print(f'{total[0]} passed, {total[1]} failed, {total[2]} skipped')
    sys.exit(1 if total[1] or bad else 0)


main()
