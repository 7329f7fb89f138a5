"""A study's runs: one per (row, seed, split), where each lives, and what is already done.

A run's folders: ``WORK/<row name>/seed<k>/`` holds its derived configs, its log, its
predictions and ``metrics_<split>.json``; its training lives in the folder of its
``train_name`` (itself, or the row an inference-only point scores). A run is *done* when its
metrics exist in the work dir or are recorded in the study's store; a training is *finished*
when its folder has ``trained`` beside ``last_checkpoint`` (a killed one resumes from there).
The store keeps metrics, not checkpoints: a recorded run is trained again only when a pending
inference-only point needs its checkpoints (:func:`trainings_to_redo`).
"""
import json
import os
import os.path as osp
import shutil
from dataclasses import dataclass
from typing import Dict, List, Optional

from .study import Row, Study

TRAINED = 'trained'  # written after a training ends well


@dataclass(frozen=True)
class Run:
    row: Row
    seed: int
    split: str
    work_root: str
    store: Optional[str] = None

    @property
    def key(self):
        return self.row.name, self.seed, self.split

    @property
    def label(self) -> str:
        return f'{self.row.name} seed {self.seed} ({self.split})'

    @property
    def work_dir(self) -> str:
        return osp.join(self.work_root, self.row.name, f'seed{self.seed}')

    @property
    def train_dir(self) -> str:
        return osp.join(self.work_root, self.row.train_name, f'seed{self.seed}')

    @property
    def metrics_file(self) -> str:
        return osp.join(self.work_dir, f'metrics_{self.split}.json')

    @property
    def record_file(self) -> Optional[str]:
        if not self.store:
            return None
        return osp.join(self.store, self.row.name, f'seed{self.seed}', f'metrics_{self.split}.json')

    @property
    def test_dir(self) -> str:
        return osp.join(self.work_dir, f'test_{self.split}')

    @property
    def predictions(self) -> str:
        return osp.join(self.work_dir, f'predictions_{self.split}.pkl')

    @property
    def trains(self) -> bool:
        """Whether this run trains (an inference-only point scores another's checkpoint)."""
        return not self.row.scores_only

    def is_done(self) -> bool:
        return osp.isfile(self.metrics_file) or bool(self.record_file and
                                                     osp.isfile(self.record_file))

    def is_trained(self) -> bool:
        return all(osp.isfile(osp.join(self.train_dir, f)) for f in ('last_checkpoint', TRAINED))

    def checkpoint(self) -> str:
        """The checkpoint this run scores: its training's last, or the one of iteration
        ``row.at_iter``."""
        if self.row.at_iter is not None:
            path = osp.join(self.train_dir, f'iter_{self.row.at_iter}.pth')
            if not osp.isfile(path):
                raise RuntimeError(f'{path} is missing: the training of {self.row.train_name} '
                                   'must keep it (its checkpoint interval dividing '
                                   f'{self.row.at_iter}, max_keep_ckpts=-1)')
            return path
        with open(osp.join(self.train_dir, 'last_checkpoint')) as f:
            return f.read().strip()

    def metrics(self) -> Optional[dict]:
        """The run's metrics: its record in the store, else its work dir's, else None."""
        for path in (self.record_file, self.metrics_file):
            if path and osp.isfile(path):
                with open(path) as f:
                    return json.load(f)
        return None

    def differences_from_record(self, metrics: dict) -> Dict[str, tuple]:
        """``{column: (now, recorded)}`` where freshly scored ``metrics`` differ from this
        run's record (a training done again, e.g. on another machine, for its checkpoints)."""
        recorded = self.metrics() if self.record_file and osp.isfile(self.record_file) else {}
        return {k: (metrics[k], recorded[k]) for k in ('AP', 'AP50', 'AP75', 'AP90')
                if recorded and metrics.get(k) != recorded.get(k)}

    def record(self) -> bool:
        """Copy the work dir's metrics into the store (once); True if it copied."""
        if not self.record_file or osp.isfile(self.record_file) or \
                not osp.isfile(self.metrics_file):
            return False
        os.makedirs(osp.dirname(self.record_file), exist_ok=True)
        shutil.copyfile(self.metrics_file, self.record_file)
        return True


def trainings_to_redo(runs: List[Run], pending: List[Run]) -> List[Run]:
    """The done runs (recorded) whose training must run again because a pending
    inference-only point scores its checkpoints and this work dir has not got them (a new
    checkout, a cleaned work dir: the store keeps metrics only); one per training folder."""
    recorded = {run.train_dir: run for run in reversed(runs) if run.trains and run.is_done()}
    redo: Dict[str, Run] = {}
    for run in pending:
        if run.row.scores_only and run.train_dir in recorded and not run.is_trained():
            redo.setdefault(run.train_dir, recorded[run.train_dir])
    return list(redo.values())


def plan(study: Study, work_root: str) -> List[Run]:
    """Every run of the study, each once: first the tuning points (val, the first seed), then
    the rows seed-major (a study stopped half-way has every row on its first seeds)."""
    runs: Dict[tuple, Run] = {}

    def add(row: Row, seed: int, split: str):
        run = Run(row, seed, split, work_root, study.store)
        runs.setdefault(run.key, run)

    first_seed = study.seeds[0]
    for group in study.tuning:
        for point in group.points:
            add(point.row, first_seed, 'val')
    seeds = sorted({s for row in study.rows for s in study.seeds_of(row)})
    for split in study.splits:
        for seed in seeds:
            for row in study.rows:
                if seed in study.seeds_of(row):
                    add(row, seed, split)
    return list(runs.values())


def record_finished(runs: List[Run]) -> int:
    """Record in the store every run scored in the work dir but not recorded yet."""
    return sum(run.record() for run in runs)
