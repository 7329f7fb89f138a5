"""tools/gpu_check.py in its CPU mode: the GPU check runs end to end, so it cannot rot between
the rare runs on a GPU, and a failing check makes it exit non-zero."""
import json
import os
import os.path as osp
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SECTIONS = {'environment', 'compile', 'correctness', 'speed', 'syncs', 'training'}


def run_check(out, *extra):
    """Run the script as a user would, from the repository root."""
    env = dict(os.environ)
    # one thread, as tests/conftest.py's run_tool: the suite's other jobs share the cores, and
    # a kernel's OpenMP barrier then stalls on a descheduled thread (speed is not tested here)
    env.setdefault('OMP_NUM_THREADS', '1')
    return subprocess.run([sys.executable, 'tools/gpu_check.py', '--device', 'cpu', '--quick',
                           '--out', str(out), *extra], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def test_quick_cpu_run_passes_and_writes_every_section(tmp_path):
    proc = run_check(tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    with open(tmp_path / 'gpu_check.json') as f:
        report = json.load(f)
    assert set(report['sections']) == SECTIONS
    assert report['ok'] and report['failed'] == []
    rows = {(r['section'], r['check']): r for r in report['rows']}
    correctness = {check: r['result'] for (section, check), r in rows.items()
                   if section == 'correctness'}
    for check in ('Fig. 2 signs (float64 CPU)', 'float32 eager vs float64 CPU',
                  'float32 compiled vs float64 CPU', 'gradcheck float64 eager', 'float16 input',
                  'bfloat16 input'):
        assert correctness[check] == 'pass', (check, rows[('correctness', check)])
    # every loss configuration was compared against the float64 reference, eager
    assert len(report['sections']['correctness']['float32_eager']) == 12
    assert rows[('compile', 'recompilations over 10 box counts')]['result'] == 'pass'
    assert report['sections']['speed']['ms'], 'no timings'
    assert rows[('syncs', 'host syncs per loss call')]['result'] == 'skipped'  # CPU: n/a
    # the Markdown table is printed and written
    assert '| correctness | float32 eager vs float64 CPU | pass |' in proc.stdout
    assert (tmp_path / 'gpu_check.md').read_text().startswith('# tools/gpu_check.py on ')


def test_a_failing_check_exits_non_zero(tmp_path):
    """--inject-failure (for tests) perturbs the device's loss by 0.1 %: the comparison with
    the float64 reference must catch it, and the exit code must say so."""
    proc = run_check(tmp_path, '--sections', 'correctness', '--inject-failure')
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-6000:]
    with open(tmp_path / 'gpu_check.json') as f:
        report = json.load(f)
    assert not report['ok']
    assert 'correctness/float32 eager vs float64 CPU' in report['failed']
    assert 'FAIL' in proc.stdout
