"""The ``slurm`` backend: one batch job per run, training and scoring through our Slurm scripts.

Each job (``sbatch``, the allocation sized as the run's steps need it) runs
``tools/slurm_train.sh`` unless the training has finished (resuming a killed one), marks it
trained, then ``tools/slurm_test.sh`` on the run's split. The job's id is kept in the run's
folder (``slurm_job``); a later call of the study asks ``squeue`` about it: queued or
running, the run is left alone; gone, its scoring is collected, or (if it wrote none) the run
is submitted again. Resources follow mmdet's Slurm scripts: ``PARTITION``, ``GPUS`` (tasks in
all), ``GPUS_PER_NODE``, ``CPUS_PER_TASK``, ``SRUN_ARGS``, and ours ``GRES`` (``none`` on a
partition without GPUs).
"""
import os
import os.path as osp
import shlex
import subprocess
import sys
import time
from typing import Dict, List, Optional

from . import steps
from .backends import Printer
from .plan import TRAINED, Run

JOB_FILE = 'slurm_job'


def scored_marker(run: Run) -> str:
    return osp.join(run.work_dir, f'scored_{run.split}')


class SlurmBackend:
    name = 'slurm'

    def __init__(self, partition: str, gpus: int = 8, gpus_per_node: int = 8,
                 cpus_per_task: int = 5, srun_args: str = '', gres: Optional[str] = None,
                 data_root: Optional[str] = None, wait: bool = False, poll_s: float = 10.0,
                 printer: Printer = print) -> None:
        self.partition, self.gpus, self.gpus_per_node = partition, gpus, gpus_per_node
        self.cpus_per_task, self.srun_args = cpus_per_task, srun_args
        self.gres = gres or f'gpu:{gpus_per_node}'
        self.data_root, self.wait, self.poll_s, self.print = data_root, wait, poll_s, printer

    @classmethod
    def from_env(cls, partition: Optional[str] = None, **kwargs) -> 'SlurmBackend':
        """The backend as mmdet's ``slurm_train.sh`` reads its environment."""
        env = os.environ
        partition = partition or env.get('PARTITION')
        if not partition:
            raise ValueError('the slurm launcher needs a partition: --partition or PARTITION')
        gpus = int(env.get('GPUS', 8))
        return cls(partition, gpus=gpus, gpus_per_node=int(env.get('GPUS_PER_NODE', min(gpus, 8))),
                   cpus_per_task=int(env.get('CPUS_PER_TASK', 5)),
                   srun_args=env.get('SRUN_ARGS', ''), gres=env.get('GRES'), **kwargs)

    # ------------------------------------------------------------------ one job
    def job_script(self, run: Run) -> str:
        """The batch script of one run: train (unless trained), mark, score, mark."""
        env = (f'GPUS={self.gpus} GPUS_PER_NODE={self.gpus_per_node} '
               f'CPUS_PER_TASK={self.cpus_per_task} GRES={shlex.quote(self.gres)} '
               f'SRUN_ARGS={shlex.quote(self.srun_args)} PYTHON={shlex.quote(sys.executable)}')
        job = shlex.quote(f'{run.row.name}-s{run.seed}')
        lines = ['#!/usr/bin/env bash', 'set -euo pipefail',
                 f'cd {shlex.quote(os.getcwd())}',  # a study's paths are relative to it
                 # jobs that share a node need their own rendezvous port (torch's default
                 # 29500 would be taken by the first)
                 'export MASTER_PORT=$((20000 + SLURM_JOB_ID % 40000))']
        train = steps.training_args(run, self.data_root) if run.trains else None
        if train:
            config, _, work_dir, *rest = train
            rest = [a for a in rest if a != '--resume']  # decided when the job starts
            trained = shlex.quote(osp.join(run.train_dir, TRAINED))
            last = shlex.quote(osp.join(run.train_dir, 'last_checkpoint'))
            lines += [f'if [ ! -f {trained} ]; then',
                      f'  RESUME=""; [ -f {last} ] && RESUME=--resume',
                      f'  {env} bash {steps.tool("slurm_train.sh")} {self.partition} {job} '
                      f'{shlex.quote(config)} {shlex.quote(work_dir)} $RESUME '
                      f'{shlex.join(rest)}',
                      f'  touch {trained}', 'fi']
        checkpoint = '"$(cat {})"'.format(shlex.quote(osp.join(run.train_dir, 'last_checkpoint')))
        if run.row.at_iter is not None:  # a given iteration's (known before the job runs)
            checkpoint = shlex.quote(osp.join(run.train_dir, f'iter_{run.row.at_iter}.pth'))
        config, _, *rest = steps.scoring_args(run, self.data_root, 'CHECKPOINT')
        lines += [f'{env} bash {steps.tool("slurm_test.sh")} {self.partition} {job} '
                  f'{shlex.quote(config)} {checkpoint} {shlex.join(rest)}',
                  f'touch {shlex.quote(scored_marker(run))}']
        return '\n'.join(lines) + '\n'

    def submit(self, run: Run) -> str:
        os.makedirs(run.work_dir, exist_ok=True)
        script = osp.join(run.work_dir, f'slurm_{run.split}.sh')
        with open(script, 'w') as f:
            f.write(self.job_script(run))
        gres = [] if self.gres == 'none' else [f'--gres={self.gres}']
        nodes = -(-self.gpus // self.gpus_per_node)
        cmd = ['sbatch', '--parsable', '-p', self.partition, f'--job-name={run.row.name}',
               f'--ntasks={self.gpus}', f'--ntasks-per-node={min(self.gpus, self.gpus_per_node)}',
               f'--nodes={nodes}', f'--cpus-per-task={self.cpus_per_task}', *gres,
               f'--output={osp.join(run.work_dir, "slurm-%j.out")}', script]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f'{shlex.join(cmd)} failed: {proc.stderr.strip()}')
        job_id = proc.stdout.strip().split(';')[0]
        with open(self.job_file(run), 'w') as f:
            f.write(job_id + '\n')
        return job_id

    @staticmethod
    def job_file(run: Run) -> str:
        return osp.join(run.work_dir, f'{JOB_FILE}_{run.split}')

    def job_of(self, run: Run) -> Optional[str]:
        path = self.job_file(run)
        if not osp.isfile(path):
            return None
        with open(path) as f:
            return f.read().strip()

    @staticmethod
    def queued(job_id: str) -> bool:
        """Whether Slurm still has the job pending or running."""
        proc = subprocess.run(['squeue', '-h', '-j', job_id, '-o', '%T'], capture_output=True,
                              text=True)
        return proc.returncode == 0 and proc.stdout.strip() != ''

    # ------------------------------------------------------------------ a study's runs
    def execute(self, runs: List[Run], train_only: bool = False) -> Dict[tuple, Exception]:
        if train_only:
            raise ValueError('the slurm launcher trains and scores in one job: no train-only')
        failed: Dict[tuple, Exception] = {}
        waiting = {}
        for run in runs:
            job = self.job_of(run)
            if osp.isfile(scored_marker(run)):
                self.collect(run, failed)
            elif job and self.queued(job):
                self.print(f'{run.label}: job {job} queued or running')
                waiting[run.key] = (run, job)
            elif not run.trains and not run.is_trained():
                self.print(f'{run.label}: waits for the training in {run.train_dir}')
            else:
                if job:
                    self.print(f'{run.label}: job {job} ended without scoring; submitting again')
                job = self.submit(run)
                self.print(f'{run.label}: submitted job {job}')
                waiting[run.key] = (run, job)
        while self.wait and waiting:
            time.sleep(self.poll_s)
            for key, (run, job) in list(waiting.items()):
                if not self.queued(job):
                    del waiting[key]
                    if osp.isfile(scored_marker(run)):
                        self.collect(run, failed)
                    else:
                        failed[key] = RuntimeError(
                            f'job {job} ended without scoring: see '
                            f'{osp.join(run.work_dir, f"slurm-{job}.out")}')
                        self.print(f'{run.label}: FAILED, {failed[key]}')
        return failed

    def collect(self, run: Run, failed: Dict[tuple, Exception]) -> None:
        try:
            metrics = steps.collect(run, self.gpus)
        except (RuntimeError, OSError) as err:
            failed[run.key] = err
            self.print(f'{run.label}: FAILED to collect: {err}')
            return
        self.print(f'{run.label}: collected, AP {metrics["AP"]:.1f} AP90 {metrics["AP90"]:.1f}')
