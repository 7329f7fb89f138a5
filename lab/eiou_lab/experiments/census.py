"""A census study: every row trained once with ``eiou_lab.DisjointCensusHook`` and scored on
its split, its per-iteration census recorded beside its metrics in the study's store, and the
census report (:mod:`eiou_lab.analysis.disjoint_census`) generated from the store.

The rows run through the study runner's backends (local, torchrun, Slurm) like any study's,
resumable alike; what differs is what is recorded (the census file too) and reported (the
census table and curves, with each row's AP at the end of its budget for context, instead of
paired gains: the rows are different detectors, not variants of one).
"""
import os
import os.path as osp
import shutil
from typing import Dict, List, Optional

from eiou_lab.analysis import disjoint_census

from .backends import Printer
from .plan import Run, plan, record_finished
from .study import Study


def stored_census(run: Run) -> Optional[str]:
    """Where the run's census file is recorded (beside its metrics in the store)."""
    return run.record_file and disjoint_census.census_file(osp.dirname(run.record_file))


def record_census(run: Run) -> bool:
    """Copy a trained run's census file into the store (once); True if it copied."""
    target, source = stored_census(run), disjoint_census.census_file(run.train_dir)
    if not target or osp.isfile(target) or not (run.is_trained() and osp.isfile(source)):
        return False
    os.makedirs(osp.dirname(target), exist_ok=True)
    shutil.copyfile(source, target)
    return True


def run_census(study: Study, work_dir: str, backend, out_dir: str, command: str = '',
               report_only: bool = False, printer: Printer = print) -> Dict[str, object]:
    """Train and score the rows that are not recorded, record their census, write the report
    to ``out_dir`` (``command``: how the report says it was made, default the study's
    ``command``); returns ``{'failed': {label: error}, 'summary': census summary}``."""
    if study.kind != 'census' or not study.store or not out_dir:
        raise ValueError(f'study {study.name}: a census study (kind=\'census\') records its runs '
                         'in a store and reports to a folder: give it both')
    runs = plan(study, work_dir)
    todo = [run for run in runs if not run.is_done()]
    failed = {}
    if todo and not report_only:
        failed = backend.execute(todo, train_only=False)
    record_finished(runs)
    for run in runs:
        record_census(run)
    recorded = [run for run in runs if osp.isfile(stored_census(run))]
    missing: List[str] = [run.label for run in runs if run not in recorded]
    if missing:
        printer(f'not recorded yet: {", ".join(missing)}')
    one_seed = len({run.seed for run in runs}) == 1

    def key(run: Run) -> str:  # a family, or a family's seed when there are several
        return run.row.name if one_seed else f'{run.row.name} seed {run.seed}'

    records = {key(run): disjoint_census.read_census(stored_census(run)) for run in recorded}
    labels = {key(run): run.row.title + ('' if one_seed else f' seed {run.seed}')
              for run in recorded}
    metrics = {key(run): run.metrics() for run in recorded}
    command = command or study.command or f'the census study {study.name!r}'
    summary = disjoint_census.write_report(records, labels, out_dir, command, metrics) \
        if records else {}
    if summary:
        printer(f'census: {osp.join(out_dir, "results.md")}')
    return dict(failed={f'{n} seed {s} ({sp})': e for (n, s, sp), e in failed.items()},
                summary=summary)
