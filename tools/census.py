"""The disjoint-pair census: where, per detector family and source, positive pairs start apart.

    python tools/census.py                                  # configs/studies/census_disjoint.py
    python tools/census.py --jobs 2                         # two trainings side by side
    python tools/census.py --launcher slurm --partition P   # one job per family; call again
    python tools/census.py --report-only                    # regenerate docs/census/ from runs/

A command line over ``eiou_lab.experiments.census``: trains and scores each row of the census
study once (``eiou_lab.DisjointCensusHook`` in its config), records its per-iteration census
beside its metrics in the study's store and writes the census table and curves to ``--out``.
Resumable as every study: recorded rows are skipped, killed trainings resume.
"""
import argparse
import sys
import warnings

warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

DEFAULT_STUDY = 'configs/studies/census_disjoint.py'


def parse_args(argv=None):
    from eiou_lab.experiments.runner import add_launcher_arguments
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--study', default=DEFAULT_STUDY, help=f'census study (default {DEFAULT_STUDY})')
    p.add_argument('--out', help='the report\'s folder (default: the study\'s report)')
    p.add_argument('--work-dir', default='work_dirs/census', help='runs go here')
    p.add_argument('--max-iters', type=int, help='every row\'s budget (default: the study\'s)')
    add_launcher_arguments(p)
    p.add_argument('--report-only', action='store_true', help='run nothing: report what is done')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    from eiou_lab.experiments.census import run_census
    from eiou_lab.experiments.runner import backend_from_args
    from eiou_lab.experiments.study import load_study, with_max_iters
    study = load_study(args.study)
    if args.max_iters:
        study = with_max_iters(study, args.max_iters)
    backend = backend_from_args(args, study.data_root)
    # the report quotes the study file's `command`; one without it, this call's study
    command = study.command or f'python tools/census.py --study {args.study}'
    out = run_census(study, args.work_dir, backend, args.out or study.report, command,
                     args.report_only,
                     printer=lambda line: print(line, flush=True))
    if out['failed']:
        print(f'FAILED runs (see their run.log): {sorted(out["failed"])}')
        raise SystemExit(1)


if __name__ == '__main__':
    sys.exit(main())
