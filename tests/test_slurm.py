"""tools/slurm_train.sh under a real single-node Slurm (Debian's slurm-wlm), 2 tasks on CPU.

The test installs slurm-wlm and munge when they are missing (root and apt-get needed), writes
a localhost slurm.conf, starts munged, slurmctld and slurmd, runs a 2-task job through our
script, checks that it finished, and stops the daemons it started. It skips, saying why, only
when the packages cannot be installed.
"""
import json
import math
import os
import re
import shutil
import socket
import subprocess
import time

import pytest

from conftest import FRCNN_ROW1, PYTHON, RETINA_ROW1, run_tool, write_micro_config
from conftest import logged

FRCNN_ROW2 = 'configs/synthetic/faster-rcnn_r18_3-giou_synthetic.py'

SLURM_CONF = '''ClusterName=mmdet-eiou-test
SlurmctldHost={host}
SlurmUser=root
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SchedulerType=sched/backfill
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
MpiDefault=none
NodeName={host} CPUs={cpus} RealMemory=8000 State=UNKNOWN
PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP
'''


def _install_slurm():
    if shutil.which('slurmctld') and shutil.which('slurmd') and shutil.which('munged'):
        return None
    if os.geteuid() != 0 or not shutil.which('apt-get'):
        return 'slurm-wlm/munge are missing and cannot be installed (needs root and apt-get)'
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    for cmd in (['apt-get', 'update'], ['apt-get', 'install', '-y', 'slurm-wlm', 'munge']):
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if proc.returncode != 0:
            return f'could not install slurm-wlm/munge: {" ".join(cmd)}: {proc.stderr[-500:]}'
    return None


def _free_port():
    with socket.socket() as s:
        s.bind(('', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def slurm_cluster(tmp_path_factory):
    reason = _install_slurm()
    if reason:
        pytest.skip(reason)
    d = tmp_path_factory.mktemp('slurm')
    for sub in ('state', 'spool'):
        (d / sub).mkdir()
    host = socket.gethostname().split('.')[0]
    conf = d / 'slurm.conf'
    conf.write_text(SLURM_CONF.format(host=host, d=d, cpus=os.cpu_count() or 2,
                                      ctld_port=_free_port(), d_port=_free_port()))
    env = dict(os.environ, SLURM_CONF=str(conf))
    started = []
    if subprocess.run(['pgrep', '-x', 'munged'], capture_output=True).returncode != 0:
        os.makedirs('/run/munge', exist_ok=True)
        shutil.chown('/run/munge', 'munge', 'munge')
        subprocess.run(['runuser', '-u', 'munge', '--', 'munged'], check=True)
        started.append('munged')
    subprocess.run(['slurmctld', '-f', str(conf)], env=env, check=True)
    subprocess.run(['slurmd', '-f', str(conf)], env=env, check=True)
    try:
        for _ in range(60):
            out = subprocess.run(['sinfo', '-h', '-o', '%t'], env=env, capture_output=True,
                                 text=True).stdout.strip()
            if out in ('idle', 'mix', 'alloc'):
                break
            time.sleep(1)
        else:
            logs = ''.join((d / f).read_text()[-1500:] for f in ('slurmctld.log', 'slurmd.log')
                           if (d / f).exists())
            raise RuntimeError(f'the Slurm node did not come up: sinfo says {out!r}\n{logs}')
        yield env
    finally:
        for pid_file in ('slurmd.pid', 'slurmctld.pid'):
            if (d / pid_file).exists():
                subprocess.run(['kill', (d / pid_file).read_text().strip()])
        if 'munged' in started:
            subprocess.run(['pkill', '-x', 'munged'])


def test_slurm_train_runs_two_tasks(slurm_cluster, tmp_path, synthetic_data):
    cfg = write_micro_config(tmp_path / 'cfg.py', RETINA_ROW1, synthetic_data, max_iters=2)
    work_dir = tmp_path / 'work'
    env = dict(slurm_cluster, GPUS='2', GPUS_PER_NODE='2', CPUS_PER_TASK='1', GRES='none',
               PYTHON=PYTHON, SRUN_ARGS='--time=15')
    proc = run_tool(['bash', 'tools/slurm_train.sh', 'debug', 'eiou-test', cfg, str(work_dir)],
                    env=env, timeout=900)
    assert sorted(logged(work_dir)) == [1, 2]
    assert (work_dir / 'iter_2.pth').exists()
    text = proc.stdout + proc.stderr
    assert 'Distributed launcher: slurm' in text and 'GPU number: 2' in text, text[-3000:]


def test_study_on_slurm_submits_collects_and_pairs(slurm_cluster, tmp_path, synthetic_data):
    """A micro study, 2 rows x 2 seeds, through tools/ablation.py --launcher slurm: one job per
    run (trained, then scored, by our Slurm scripts), collected, reported with the paired gain
    of row 2 over row 1; called again, it submits nothing."""
    rows = [write_micro_config(tmp_path / f'row{k}.py', base, synthetic_data, max_iters=2)
            for k, base in ((1, FRCNN_ROW1), (2, FRCNN_ROW2))]
    env = dict(slurm_cluster, GPUS='1', GPUS_PER_NODE='1', CPUS_PER_TASK='1', GRES='none',
               PARTITION='debug', SRUN_ARGS='--time=15')
    args = [PYTHON, 'tools/ablation.py', '--rows', *rows, '--seeds', '0', '1', '--launcher',
            'slurm', '--work-dir', str(tmp_path / 'runs'), '--out', str(tmp_path / 'out')]
    first = run_tool(args + ['--wait'], env=env, timeout=1200)
    jobs = re.findall(r'submitted job (\d+)', first.stdout)
    assert len(set(jobs)) == 4, first.stdout[-3000:]
    print('\n'.join(line for line in first.stdout.splitlines()
                    if 'job' in line or 'collected' in line))
    result = json.loads((tmp_path / 'out' / 'results.json').read_text())
    assert sorted(result['runs']['row2']) == ['0', '1']
    gain = result['gains']['row2']['AP90']
    assert gain['n'] == 2 and math.isfinite(gain['mean']) and math.isfinite(gain['half'])
    table = (tmp_path / 'out' / 'results.md').read_text()
    assert '| row2 |' in table and 'baseline' in table
    print(table)
    for seed in (0, 1):  # trained by slurm_train.sh's tasks, scored by slurm_test.sh's
        log = (tmp_path / 'runs' / 'row1' / f'seed{seed}').glob('slurm-*.out')
        text = ''.join(p.read_text() for p in log)
        assert 'Distributed launcher: slurm' in text or '--launcher=slurm' in text
    again = run_tool(args, env=env, timeout=600)
    assert 'submitted' not in again.stdout and again.stdout.count('done before') == 4
