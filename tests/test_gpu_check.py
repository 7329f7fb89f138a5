"""tools/gpu_check.py on the CPU: it runs the device tests through pytest and the benchmark,
writes its report, and exits non-zero when a test it runs fails. (The device tests themselves,
tests/test_device.py and the device tests of test_eiou_math.py, run in the suite directly.)"""
import json

from conftest import PYTHON, run_tool

FAILING_TEST = '''
def test_one_plus_one_is_three():
    assert 1 + 1 == 3
'''
# the tool passes --device to pytest: a test outside tests/ needs the option declared
DEVICE_OPTION = '''
def pytest_addoption(parser):
    parser.addoption('--device')
'''


def gpu_check(out, *args):
    """The tool on the CPU with a one-size benchmark, eager kernels (the compiler is
    tests/test_device.py's concern); its process, not checked."""
    return run_tool([PYTHON, 'tools/gpu_check.py', '--device', 'cpu', '--out', str(out),
                     '--sizes', '100', '--reps', '2', *args], env=dict(MMDET_EIOU_COMPILE='0'),
                    check=False, timeout=600)


def test_a_passing_run_writes_every_section(tmp_path):
    proc = gpu_check(tmp_path, '--', 'tests/test_device.py', '-k', 'eager and (p2 or autocast)')
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    report = json.loads((tmp_path / 'gpu_check.json').read_text())
    assert report['ok'] and report['tests']['exit_code'] == 0
    assert report['environment']['device'] == 'cpu'
    outcomes = {row['test'].split('::')[-1]: row['outcome'] for row in report['tests']['rows']}
    assert len(outcomes) == 5 and set(outcomes.values()) == {'pass'}, outcomes
    timed = {row['loss'] for row in report['benchmark'] if row['n'] == 100}
    assert {'eiou_loss CT', 'eiou_loss CT+SOT', 'torch GIoU (eager)'} <= timed
    assert all(row['ms'] > 0 and 'x torch GIoU (eager)' in row for row in report['benchmark'])
    md = (tmp_path / 'gpu_check.md').read_text()
    assert md.startswith('# tools/gpu_check.py on ') and md.strip() in proc.stdout
    assert md.strip().splitlines()[-1].startswith('all device tests passed: 5 pass')


def test_a_failing_test_exits_non_zero(tmp_path):
    (tmp_path / 'tests').mkdir()
    (tmp_path / 'tests' / 'conftest.py').write_text(DEVICE_OPTION)
    (tmp_path / 'tests' / 'test_failing.py').write_text(FAILING_TEST)
    proc = gpu_check(tmp_path / 'out', '--sections', 'tests', '--', str(tmp_path / 'tests'))
    assert proc.returncode == 1, proc.stdout[-4000:] + proc.stderr[-4000:]
    report = json.loads((tmp_path / 'out' / 'gpu_check.json').read_text())
    assert not report['ok'] and 'benchmark' not in report
    row, = report['tests']['rows']
    assert row['outcome'] == 'FAIL' and row['test'].endswith('test_one_plus_one_is_three')
    assert 'FAILED (pytest exit code 1): ' in proc.stdout.splitlines()[-1]


def test_the_benchmark_times_every_loss_in_each_round():
    """compare_losses: each loss timed in every round; a ratio pairs a loss with the baseline
    of the same round (the baseline's own ratio is exactly 1; a loss that sleeps 3 ms more
    per call is slower)."""
    import time
    import torch
    from eiou_lab.benchmark import compare_losses
    from eiou_lab.benchmark.losses import giou_loss_eager
    calls = {'slow': 0}

    def slow(pred, target):
        calls['slow'] += 1
        time.sleep(0.003)
        return giou_loss_eager(pred, target)

    rows = compare_losses({'torch GIoU (eager)': giou_loss_eager, 'slow': slow}, [10],
                          torch.device('cpu'), reps=10, warmup=1, rounds=5)
    by_loss = {row['loss']: row for row in rows}
    assert by_loss['torch GIoU (eager)']['x torch GIoU (eager)'] == 1.0
    assert by_loss['slow']['x torch GIoU (eager)'] > 1 and by_loss['slow']['ms'] > 3
    assert calls['slow'] == 1 + 5 * 2 + 1  # warm-up, 5 rounds of 2, one memory probe
