"""Device check of the EIoU loss: the device tests, then the loss benchmark, as one report.

    python tools/gpu_check.py [--device cuda|cpu] [--out DIR] [--sizes N ...] [--reps R]
        [--sections tests benchmark] [-- PYTEST_ARGS ...]

tests: pytest on ``--device`` (tests/conftest.py) of every test that takes the ``device``
fixture in tests/test_device.py, test_eiou_math.py and test_nonfinite_check.py: float32 eager
and compiled against float64 on the CPU, the Fig. 2 values, float64 gradcheck, half precision
and autocast, recompilations over box counts, host synchronisations per loss call (CUDA: one
with the check in the call, none deferred to the stats hook), a few AMP training iterations
(with mmdet). ``PYTEST_ARGS`` replace that selection (``-- tests/test_device.py -k
autocast``). benchmark: tools/benchmark_losses.py's comparison (``eiou_lab.benchmark``).

Needs torch, pytest and hypothesis; mmdet, mmcv and torchvision are used when they import (the
tests that need them skip). Prints pytest's output, then a Markdown report that it also writes
to ``DIR/gpu_check.md`` (and everything to ``DIR/gpu_check.json``); exits 1 when a test fails
or errors, or pytest cannot run them.
"""
import argparse
import datetime
import json
import os
import os.path as osp
import sys
import time

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)  # a bare checkout (torch alone installed): the package is here
from eiou_lab.benchmark import (compare_losses, compared_losses,  # noqa: E402
                                  describe_environment, markdown_table)

DEVICE_TESTS = [osp.join(ROOT, 'tests', name) for name in
                ('test_device.py', 'test_eiou_math.py', 'test_nonfinite_check.py')]
DEVICE_TESTS += ['-m', 'device']
SECTIONS = ('tests', 'benchmark')


class Outcomes:
    """A pytest plugin that keeps one row per test (its call, or the setup or teardown that
    failed or skipped it) and one per module that failed to collect."""

    def __init__(self):
        self.rows = {}

    def pytest_runtest_logreport(self, report):
        if report.when == 'call' or report.outcome != 'passed':
            self.rows[report.nodeid] = dict(test=report.nodeid, outcome=outcome(report),
                                            seconds=round(report.duration, 2),
                                            detail=detail(report))

    def pytest_collectreport(self, report):
        if report.failed:
            self.rows[report.nodeid] = dict(test=report.nodeid, outcome='ERROR', seconds=0,
                                            detail=detail(report))


def outcome(report):
    """pass, FAIL, ERROR (in setup or teardown), skipped, xfail or xpass."""
    if hasattr(report, 'wasxfail'):
        return 'xfail' if report.skipped else 'xpass'
    if report.failed:
        return 'FAIL' if report.when == 'call' else 'ERROR'
    return 'pass' if report.passed else 'skipped'


def detail(report):
    """Why a test did not pass: the skip or xfail reason, or the error's last line."""
    if hasattr(report, 'wasxfail'):
        return report.wasxfail
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2]
    lines = report.longreprtext.strip().splitlines() if report.failed else ['']
    return lines[-1][:300] if lines else ''


def run_tests(device, pytest_args):
    """pytest's exit code and the rows of :class:`Outcomes`."""
    outcomes = Outcomes()
    code = pytest.main([*(pytest_args or DEVICE_TESTS), '--device', device.type, '-p',
                        'no:cacheprovider', '--rootdir', ROOT], plugins=[outcomes])
    return int(code), list(outcomes.rows.values())


def markdown(report):
    """The report as Markdown: environment, one row per test, the benchmark, the verdict."""
    env = report['environment']
    lines = [f'# tools/gpu_check.py on {env["device_name"]}, {report["started"][:10]}', '',
             ', '.join(f'{k} {v}' for k, v in env.items() if k != 'device_name'), '']
    if 'tests' in report:
        lines += ['| test | result | s | detail |', '|---|---|---:|---|']
        lines += [f'| {r["test"]} | {r["outcome"]} | {r["seconds"]} | '
                  f'{str(r["detail"]).replace("|", "/")} |' for r in report['tests']['rows']]
        lines += ['', f'pytest exit code {report["tests"]["exit_code"]}', '']
    if 'benchmark' in report:
        lines += ['Forward+backward of the mean loss, float32, median ms; x = over that '
                  'baseline of the same run', ''] + markdown_table(report['benchmark']) + ['']
    lines.append(f'{verdict(report)} ({report["elapsed_s"]:.0f} s)')
    return '\n'.join(lines)


def verdict(report):
    """``FAILED: ...`` naming what failed, or what passed and what was skipped."""
    if 'tests' not in report:
        return 'no tests run'
    rows, code = report['tests']['rows'], report['tests']['exit_code']
    bad = [r['test'] for r in rows if r['outcome'] in ('FAIL', 'ERROR', 'xpass')]
    if code != 0:
        return f'FAILED (pytest exit code {code}): ' + (', '.join(bad) or 'see its output')
    counts = {o: sum(r['outcome'] == o for r in rows) for o in ('pass', 'skipped', 'xfail')}
    return 'all device tests passed: ' + ', '.join(f'{n} {o}' for o, n in counts.items())


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', choices=['cuda', 'cpu'],
                        default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--out', default=osp.join('work_dirs', 'gpu_check'),
                        help='writes gpu_check.json and gpu_check.md here')
    parser.add_argument('--sizes', nargs='+', type=int, default=[10**k for k in range(2, 7)],
                        help='box counts of the benchmark (default 1e2 .. 1e6)')
    parser.add_argument('--reps', type=int, default=25, help='timed repetitions per N and loss')
    parser.add_argument('--sections', nargs='+', choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument('pytest_args', nargs='*',
                        help='after --: what pytest runs instead of the device tests')
    return parser.parse_args(argv)


def main(argv=None):
    """Run the sections, write and print the report; 1 when a test failed, else 0."""
    args = parse_args(argv)
    device, start = torch.device(args.device), time.perf_counter()
    report = dict(tool='tools/gpu_check.py', args=vars(args),
                  started=datetime.datetime.now().isoformat(timespec='seconds'),
                  environment=describe_environment(device, repo=ROOT))
    if 'tests' in args.sections:
        code, rows = run_tests(device, args.pytest_args)
        report['tests'] = dict(exit_code=code, rows=rows)
    if 'benchmark' in args.sections:
        report['benchmark'] = compare_losses(compared_losses(device), args.sizes, device,
                                             args.reps)
    report['elapsed_s'] = round(time.perf_counter() - start, 1)
    report['ok'] = report.get('tests', {}).get('exit_code', 0) == 0
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, 'gpu_check.json'), 'w') as f:
        json.dump(report, f, indent=1, default=str)
    text = markdown(report)
    with open(osp.join(args.out, 'gpu_check.md'), 'w') as f:
        f.write(text + '\n')
    print(text)
    return 0 if report['ok'] else 1


if __name__ == '__main__':
    sys.exit(main())
