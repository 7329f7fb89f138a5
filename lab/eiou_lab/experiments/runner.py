"""Run a study: plan its runs, skip the done ones, execute the rest on a backend, record their
metrics in the study's store, write each split's report.

Resumable at every level: a run whose metrics exist (work dir or store) is done; a training
that was killed resumes from its last checkpoint; a Slurm job still queued is left alone.
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional

from .backends import LocalBackend, Printer, TorchrunBackend
from .plan import Run, plan, record_finished, trainings_to_redo
from .report import write_report
from .study import Study


def add_launcher_arguments(parser: argparse.ArgumentParser) -> None:
    """A command line's options that choose where its runs go (:func:`backend_from_args`)."""
    parser.add_argument('--launcher', choices=('local', 'pytorch', 'slurm'), default='local')
    parser.add_argument('--jobs', type=int, default=1, help='local: trainings side by side')
    parser.add_argument('--gpus', type=int, default=int(os.environ.get('GPUS', 1)),
                        help='pytorch: processes per run (default $GPUS or 1)')
    parser.add_argument('--partition', help='slurm: the partition (default $PARTITION)')
    parser.add_argument('--wait', action='store_true',
                        help='slurm: wait for the jobs, then report')


def backend_from_args(args: argparse.Namespace, data_root: Optional[str] = None):
    """:func:`make_backend` of the options :func:`add_launcher_arguments` added."""
    if args.jobs < 1:
        raise SystemExit('--jobs must be at least 1')
    return make_backend(args.launcher, data_root, args.jobs, args.gpus, args.partition,
                        args.wait)


def make_backend(launcher: str, data_root: Optional[str] = None, jobs: int = 1, gpus: int = 1,
                 partition: Optional[str] = None, wait: bool = False):
    """The backend of a command line's ``--launcher`` (``local``, ``pytorch`` or ``slurm``)."""
    if launcher == 'pytorch':
        return TorchrunBackend(gpus, data_root=data_root)
    if launcher == 'slurm':
        from .slurm import SlurmBackend
        return SlurmBackend.from_env(partition, data_root=data_root, wait=wait)
    if launcher != 'local':
        raise ValueError(f'launcher must be local, pytorch or slurm, got {launcher!r}')
    return LocalBackend(jobs, data_root=data_root)


def run_study(study: Study, work_dir: str, backend, out: Optional[str] = None,
              report_only: bool = False, train_only: bool = False,
              skip_if_done: bool = False, printer: Printer = print) -> Dict[str, object]:
    """Execute what is missing and report; returns ``{'failed': {label: error}, 'summaries':
    {split: summary}, 'reports': {split: folder}, 'skipped': bool}``."""
    runs = plan(study, work_dir)
    if skip_if_done and not report_only and all(run.is_done() for run in runs):
        printer(f'all {len(runs)} run(s) done before ({", ".join(study.splits)}): skipped')
        return dict(failed={}, summaries={}, reports={}, skipped=True)
    todo = []
    for run in runs:
        if run.is_done():
            if not report_only:
                printer(f'{run.label}: done before')
        elif not report_only:
            todo.append(run)
    redo = trainings_to_redo(runs, todo)
    for run in redo:
        printer(f'{run.label}: recorded, but its checkpoints are not in {run.train_dir} and '
                'points of the study score them: training it again')
    todo = redo + todo
    failed = backend.execute(todo, train_only=train_only) if todo else {}
    record_finished(runs)
    failures = {f'{name} seed {seed} ({split})': err for (name, seed, split), err in
                failed.items()}
    if train_only:
        if not failures:
            printer('trained; score with the same command without --train-only')
        return dict(failed=failures, summaries={}, reports={}, skipped=False)
    summaries, reports = {}, {}
    for split in study.splits:
        report_dir = study.report_dir(split, osp.join(out or work_dir, split)
                                      if len(study.splits) > 1 else (out or work_dir))
        summary = write_report(study, runs, split, report_dir)
        if summary is not None:
            summaries[split], reports[split] = summary, report_dir
            printer(f'{split}: {osp.join(report_dir, "results.md")}')
    return dict(failed=failures, summaries=summaries, reports=reports, skipped=False)



def regenerate_reports(study_files: List[str], readme: Optional[str] = None,
                       work_dir: str = 'work_dirs/studies',
                       printer: Printer = print) -> Dict[str, List[str]]:
    """Every report of the studies from their recorded results alone (nothing runs), and the
    headline tables marked in ``readme`` (:mod:`.readme`), also of studies not listed;
    ``{study file: [splits reported]}``."""
    from .readme import update_tables
    from .report import headline_table
    from .study import load_study
    done: Dict[str, tuple] = {}

    def reported(path):
        if path not in done:
            study = load_study(path)
            if study.kind == 'census':
                from .census import run_census
                out = run_census(study, work_dir, None, study.report, report_only=True,
                                 printer=printer)
                done[path] = study, {'census': out['summary']} if out['summary'] else {}
            else:
                out = run_study(study, work_dir, backend=None, report_only=True,
                                printer=printer)
                done[path] = study, out['summaries']
        return done[path]

    def table(path, split):
        study, summaries = reported(path)
        return headline_table(study, summaries[split], study.readme_rows)

    for path in study_files:
        reported(path)
    if readme:
        with open(readme) as f:
            text = f.read()
        new = update_tables(text, table)
        if new != text:
            with open(readme, 'w') as f:
                f.write(new)
            printer(f'{readme}: tables updated')
    return {path: sorted(summaries) for path, (_, summaries) in done.items()}
