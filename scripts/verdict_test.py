#!/usr/bin/env python3
"""verdict_test.py TREE: check that verdict.py fails what it must fail, on
synthetic logs (run by 'make check' before any boot: a judge that cannot
fail would make every run green)."""
import os
import subprocess
import sys
import tempfile

TREE = sys.argv[1]
VERDICT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'verdict.py')
KTAP = """[    1.0] KTAP version 1
[    1.0] 1..1
[    1.0]     KTAP version 1
[    1.0]     # Subtest: demo-suite
[    1.0]     1..2
[    1.0]     ok 1 case_a
[    1.0]     {second} 2 case_b
[    1.0] {second} 1 demo-suite
"""
TAP = """### BEGIN prog
[   0.1] TAP version 13
[   0.1] 1..3
[   0.2] ok 1 f.a
[   0.3] ok 2 f.b # SKIP no device
[   0.4] {third} 3 f.c
### END prog rc={rc}
### DONE
"""


def case(name, want_rc, want_line, console=None, tests=None, expected=None):
    with tempfile.TemporaryDirectory() as d:
        run = os.path.join(d, 'r1')
        os.mkdir(run)
        open(os.path.join(run, 'console.log'), 'w').write(
            console if console is not None else KTAP.format(second='ok'))
        open(os.path.join(run, 'tests.log'), 'w').write(
            tests if tests is not None else TAP.format(third='ok', rc=0))
        exp = os.path.join(d, 'expected')
        open(exp, 'w').write(expected or 'r1 prog\nr1 kunit:demo-suite\n')
        p = subprocess.run([sys.executable, VERDICT, TREE, exp, run],
                           capture_output=True, text=True)
        last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ''
        ok = (p.returncode != 0) == (want_rc != 0) and last == want_line
        print(f"{'ok' if ok else 'FAILED'}: verdict {name}: rc={p.returncode} '{last}'")
        return ok


results = [
    case('all pass', 0, '4 passed, 0 failed, 1 skipped'),
    case('kunit failure', 1, '3 passed, 1 failed, 1 skipped',
         console=KTAP.format(second='not ok')),
    case('kselftest failure', 1, '3 passed, 1 failed, 1 skipped',
         tests=TAP.format(third='not ok', rc=1)),
    case('truncated kselftest', 1, '3 passed, 1 failed, 1 skipped',
         tests=TAP.format(third='ok', rc=139).replace('[   0.4] ok 3 f.c\n', '')),
    case('splat', 1, '4 passed, 1 failed, 1 skipped',
         console=KTAP.format(second='ok') + '[ 2.0] WARNING: CPU: 0 PID: 1 at x.c:1\n'),
    case('kmemleak', 1, '4 passed, 1 failed, 1 skipped',
         tests=TAP.format(third='ok', rc=0).replace(
             '### DONE', '### BEGIN kmemleak\nunreferenced object 0xffff (size 64):\n'
             '### END kmemleak rc=0\n### DONE')),
    case('missing suite', 1, '4 passed, 1 failed, 1 skipped',
         expected='r1 prog\nr1 kunit:demo-suite\nr1 vanished\n'),
    case('guest did not finish', 1, '4 passed, 1 failed, 1 skipped',
         tests=TAP.format(third='ok', rc=0).replace('### DONE\n', '')),
    case('suite module after the empty boot document', 0,
         '4 passed, 0 failed, 1 skipped',
         console='[ 0.1] KTAP version 1\n[ 0.1] 1..0\n[ 0.9] Run /init\n'
         + KTAP.format(second='ok')),
    case('fewer cases than a suite must run', 1, '4 passed, 1 failed, 1 skipped',
         expected='r1 prog 3\nr1 kunit:demo-suite\n'),
    case('boot self-test', 0, '23 passed, 0 failed, 1 skipped',
         console=KTAP.format(second='ok') + '[ 0.5] arm-lpae io-pgtable: '
         'selftest: completed with 19 PASS 0 FAIL\n',
         expected='r1 prog\nr1 kunit:demo-suite\nr1 boot:io-pgtable-arm\n'),
    case('boot self-test failure', 1, '22 passed, 1 failed, 1 skipped',
         console=KTAP.format(second='ok') + '[ 0.5] arm-lpae io-pgtable: '
         'selftest: completed with 18 PASS 1 FAIL\n'),
    case('boot self-test missing', 1, '4 passed, 1 failed, 1 skipped',
         expected='r1 prog\nr1 kunit:demo-suite\nr1 boot:io-pgtable-arm\n'),
    case('module that did not load', 1, '4 passed, 1 failed, 1 skipped',
         tests='### BEGIN modules\nTAP version 13\n1..1\n'
         'not ok 1 vfio.ko # Unknown symbol\n### END modules rc=0\n'
         + TAP.format(third='ok', rc=0)),
]
sys.exit(0 if all(results) else 1)
