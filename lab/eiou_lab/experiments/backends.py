"""Where a study's runs execute: here (``local``), through torchrun (``pytorch``), or as Slurm
jobs (``slurm``).

``local`` and ``pytorch`` train and score in this process's lifetime; ``slurm`` submits one
job per run (training, then scoring, through ``tools/slurm_train.sh`` / ``slurm_test.sh``)
and returns; calling the study again collects the jobs that finished and submits nothing
that is queued, running or done (``wait=True`` polls until the jobs have left the queue).
Each backend's ``execute(runs)`` returns ``{run key: error}`` for the runs that failed.
"""
import os
import os.path as osp
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Optional

from . import steps
from .collect import SIDE_BY_SIDE
from .plan import Run

Printer = Callable[[str], None]


def stream(cmd: List[str], log_path: str, env: Optional[dict] = None) -> None:
    """Run ``cmd`` in this process's folder (a study's paths are relative to it), its output
    into ``log_path`` and its progress lines (mmengine's ``Iter(train|test) [k/N] ...``) onto
    the console; raise with the log's tail if it fails."""
    with open(log_path, 'a') as log:
        log.write(f'$ {shlex.join(cmd)}\n')
        log.flush()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, bufsize=1, env=env)
        for line in proc.stdout:
            log.write(line)
            if 'Iter(train)' in line or 'Iter(test)' in line:
                print('    ' + line.split(' - ')[-1].strip()[:110], flush=True)
        proc.wait()
    if proc.returncode != 0:
        with open(log_path) as log:
            tail = log.read()[-3000:]
        raise RuntimeError(f'{shlex.join(cmd)} failed ({proc.returncode}); log {log_path}:\n'
                           f'{tail}')


def report_redo(run: Run, metrics: dict) -> str:
    """What a training done again (for its checkpoints) scored against the run's record,
    which stands either way."""
    diff = run.differences_from_record(metrics)
    if not diff:
        return 'trained again: reproduces its record'
    return ('trained again: differs from its record (' + ', '.join(
        f'{k} {now:.1f} now, {then:.1f} recorded' for k, (now, then) in diff.items()) +
        '); the record stands, the points scored from this training see these weights')


def scores_the_same(point: Run, run: Run) -> bool:
    """Whether the inference-only ``point`` scores what ``run`` scores: the same split of the
    same training's last checkpoint, with no scoring options of its own (a point at the last
    iteration); then one score serves both."""
    if point is run or not point.row.scores_only or point.row.test_options or \
            point.split != run.split or point.train_dir != run.train_dir or not run.is_trained():
        return False
    path = osp.join(point.train_dir, f'iter_{point.row.at_iter}.pth')
    return osp.isfile(path) and osp.samefile(path, run.checkpoint())


class LocalBackend:
    """Runs one after another on this machine, or trainings ``jobs`` at a time, each with its
    share of the cores (their s/iter is then not reported); scoring is always one at a time,
    after the trainings, so inference is timed on a machine this study leaves free."""
    name = 'local'
    processes = 1
    env: Optional[dict] = None  # the environment of every step (None: this process's)

    def __init__(self, jobs: int = 1, data_root: Optional[str] = None,
                 printer: Printer = print) -> None:
        if jobs < 1:
            raise ValueError('jobs must be at least 1')
        self.jobs, self.data_root, self.print = jobs, data_root, printer

    # the launch of one step; torchrun overrides these two
    def train_command(self, args: List[str]) -> List[str]:
        return [sys.executable, steps.tool('train.py'), *args]

    def score_command(self, args: List[str]) -> List[str]:
        return [sys.executable, steps.tool('test.py'), *args]

    def train(self, run: Run, threads: Optional[int] = None,
              args: Optional[List[str]] = None) -> bool:
        """Train the run's checkpoint unless it exists (``args``: its training arguments,
        made beforehand); True if it trained."""
        args = args or steps.training_args(run, self.data_root)
        if args is None:
            return False
        env = self.env
        if threads or run.row.threads:
            n = str(run.row.threads or threads)
            env = dict(env or os.environ, OMP_NUM_THREADS=n, MKL_NUM_THREADS=n)
        if threads:  # shared with other trainings: its time is not a speed measurement
            with open(osp.join(run.train_dir, SIDE_BY_SIDE), 'w') as f:
                f.write(f'{threads} torch threads\n')
        stream(self.train_command(args), osp.join(run.train_dir, 'run.log'), env)
        steps.mark_trained(run)
        return True

    def score(self, run: Run) -> dict:
        args = steps.scoring_args(run, self.data_root, run.checkpoint())
        stream(self.score_command(args), osp.join(run.work_dir, 'run.log'), self.env)
        return steps.collect(run, self.processes)

    def train_side_by_side(self, runs: List[Run]) -> Dict[tuple, Exception]:
        """Train the runs ``jobs`` at a time; ``{key: error}`` of those that failed."""
        threads = max(1, (os.cpu_count() or 1) // self.jobs)
        pending, seen = [], set()
        for run in runs:  # configs are written here: mmengine's parsing is not thread-safe
            if run.trains and run.train_dir not in seen and not run.is_trained():
                seen.add(run.train_dir)
                pending.append((run, steps.training_args(run, self.data_root)))
        failed = {}

        def one(run, args):
            try:
                self.train(run, threads, args)
            except RuntimeError as err:  # one broken run must not lose the others
                failed[run.key] = err

        with ThreadPoolExecutor(self.jobs) as pool:
            list(pool.map(lambda pair: one(*pair), pending))
        return failed

    def execute(self, runs: List[Run], train_only: bool = False) -> Dict[tuple, Exception]:
        failed: Dict[tuple, Exception] = {}
        if self.jobs > 1:
            failed.update(self.train_side_by_side(runs))
        start = time.time()
        checked_by: Dict[tuple, Run] = {}  # a point's key: the redone run its score checks
        for i, run in enumerate(runs, 1):
            head = f'[{i}/{len(runs)}] {run.row.name} seed {run.seed}'
            if run.key in failed:
                self.print(f'{head}: FAILED\n{failed[run.key]}')
                continue
            if not run.trains and not run.is_trained():
                failed[run.key] = RuntimeError(f'{run.train_dir} has not finished training')
                self.print(f'{head}: FAILED, {run.train_dir} has not finished training')
                continue
            if train_only and not run.trains:
                continue
            self.print(f'{head} ...')
            t0 = time.time()
            redone = bool(run.record_file and osp.isfile(run.record_file))  # for checkpoints
            try:
                trained = self.train(run) if run.trains else False
                if train_only:
                    continue
                twin = None if not redone else \
                    next((p for p in runs[i:] if scores_the_same(p, run)), None)
                if twin is not None:  # recorded: scored only to check it, which twin will do
                    checked_by[twin.key] = run
                    self.print(f'{head}: trained again in {time.time() - t0:.0f} s; '
                               f'{twin.row.name} scores its checkpoint and checks its record')
                    continue
                metrics = self.score(run)
            except RuntimeError as err:
                failed[run.key] = err
                self.print(f'{head}: FAILED\n{err}')
                continue
            if redone:
                self.print(f'{head}: {report_redo(run, metrics)}')
            if run.key in checked_by:
                twin = checked_by.pop(run.key)
                self.print(f'{twin.row.name} seed {twin.seed}: {report_redo(twin, metrics)} '
                           f'(scored as {run.row.name})')
            elapsed = time.time() - start
            how = 'trained' if trained else 'scored'
            self.print(f'{head}: {how} in {time.time() - t0:.0f} s, AP {metrics["AP"]:.1f} '
                       f'AP50 {metrics["AP50"]:.1f} AP75 {metrics["AP75"]:.1f} AP90 '
                       f'{metrics["AP90"]:.1f} | elapsed {elapsed / 60:.1f} min, ETA '
                       f'{elapsed / i * (len(runs) - i) / 60:.1f} min')
        return failed


class TorchrunBackend(LocalBackend):
    """Each training and scoring through ``tools/dist_train.sh`` / ``dist_test.sh`` with
    ``gpus`` processes (GPUs, or CPU processes on gloo); mmdet's ``NNODES``, ``NODE_RANK``,
    ``MASTER_ADDR``, ``PORT`` pass through."""
    name = 'pytorch'

    def __init__(self, gpus: int, **kwargs) -> None:
        super().__init__(jobs=1, **kwargs)
        self.processes = gpus
        # the launch scripts run $PYTHON: this interpreter, unless the user chose one
        self.env = dict(os.environ, PYTHON=os.environ.get('PYTHON', sys.executable))

    def train_command(self, args: List[str]) -> List[str]:
        return ['bash', steps.tool('dist_train.sh'), args[0], str(self.processes), *args[1:]]

    def score_command(self, args: List[str]) -> List[str]:
        return ['bash', steps.tool('dist_test.sh'), args[0], args[1], str(self.processes),
                *args[2:]]
