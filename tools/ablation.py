"""Run an ablation study: rows x seeds trained and scored (resumable), then compared.

    python tools/ablation.py --rows A.py B.py --seeds 0 1 2 --split test --out OUT
    python tools/ablation.py --study configs/studies/precision_faster-rcnn.py [--report-only]
    python tools/ablation.py --rows A.py B.py --seeds 0 1 --launcher slurm --partition P --wait
    python tools/ablation.py --rows B.py --tag w5 --cfg-options ...loss_weight=5.0   # a point
    python tools/ablation.py --rows B.py --tag nms --test-options ...mode=nms  # at inference

A command line over ``eiou_lab.experiments``: ``--rows`` (the first is the baseline unless
``--baseline``) or a study file; each run trains with ``tools/train.py`` and scores its split
with ``tools/test.py`` through ``mmdet_eiou.CocoAPAtIoUMetric`` at the config evaluator's IoU
thresholds. ``--launcher local`` (``--jobs N``: N trainings side by side), ``pytorch`` (each
run through ``tools/dist_train.sh``/``dist_test.sh``, ``--gpus`` processes) or ``slurm`` (one
job per run through ``tools/slurm_train.sh``/``slurm_test.sh``; mmdet's ``PARTITION``,
``GPUS``, ``GPUS_PER_NODE``, ``CPUS_PER_TASK``, ``SRUN_ARGS``; call again to collect, or
``--wait``). Writes ``OUT/results.md``, ``OUT/results.json`` and plots.
"""
import argparse
import os.path as osp
import sys
import warnings

# setuptools < 81 (pinned: mmcv and mim need pkg_resources) warns on every import of it, as
# mmengine's when it resolves `mmdet::` configs; not ours to act on, so silence exactly that.
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)


def parse_args(argv=None):
    from eiou_lab.experiments.runner import add_launcher_arguments
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument('--rows', nargs='+', help='configs, the baseline first')
    what.add_argument('--study', help='a study file (configs/studies/*.py)')
    p.add_argument('--baseline', help='the row the others are paired with (default: first)')
    p.add_argument('--only-rows', nargs='+', metavar='NAME',
                   help='run these rows of --study only (and its baseline), no tuning')
    p.add_argument('--seeds', nargs='+', type=int, help='default: 0, or the study\'s')
    p.add_argument('--split', choices=('val', 'test'),
                   help='score on val (choose) or test (report); default val, or the study\'s')
    p.add_argument('--work-dir', default='work_dirs/ablation', help='runs go here')
    p.add_argument('--out', help='report (default: the work dir, or the study\'s)')
    p.add_argument('--data-root', help='data (default: the configs\' own)')
    p.add_argument('--max-iters', type=int, help='iterations (LR milestones scale alike)')
    p.add_argument('--cfg-options', nargs='+', default=[], help='options of every run')
    p.add_argument('--test-options', nargs='+', default=[],
                   help='scoring-only options: an inference-time point (needs --tag) scoring '
                   'the checkpoint of the untagged run, or of --from-tag')
    p.add_argument('--from-tag', default='')
    p.add_argument('--tag', default='', help='suffix of the runs\' names (a tuning point)')
    add_launcher_arguments(p)
    p.add_argument('--train-only', action='store_true',
                   help='train and stop (score later with the same call without it)')
    p.add_argument('--report-only', action='store_true', help='run nothing: report what is done')
    p.add_argument('--skip-if-done', action='store_true',
                   help='when every run was scored before, say so and write nothing')
    return p.parse_args(argv)


def check(args):
    if args.test_options and (not args.tag or args.cfg_options):
        raise SystemExit('--test-options makes an inference-only tuning point of the rows as '
                         'they are: give it a --tag and no --cfg-options')
    if args.from_tag and not args.test_options:
        raise SystemExit('--from-tag goes with --test-options')
    if args.only_rows and not args.study:
        raise SystemExit('--only-rows chooses rows of a --study')
    if args.train_only and (args.report_only or args.test_options):
        raise SystemExit('--train-only trains: not with --report-only or --test-options')


def make_study(args):
    from eiou_lab.experiments.study import (Study, load_study, make_row, with_max_iters,
                                              with_rows, with_seeds)
    if args.study:
        study = load_study(args.study)
        if args.only_rows:
            study = with_rows(study, args.only_rows)
        if args.seeds:
            study = with_seeds(study, args.seeds)
        if args.max_iters:
            study = with_max_iters(study, args.max_iters)
        if args.out:  # reports there (OUT/<split> for several splits), not the study's folders
            study.report = None
        if args.split:
            study.splits = (args.split, )
        study.data_root = args.data_root or study.data_root
        return study
    rows = [make_row(dict(config=osp.relpath(osp.abspath(c)), tag=args.tag,
                          test_options=args.test_options, from_tag=args.from_tag),
                     args.cfg_options, args.max_iters) for c in args.rows]
    names = [r.name for r in rows]
    baseline = names[0]
    if args.baseline:
        baseline = next((r.name for r in rows if r.config == osp.relpath(
            osp.abspath(args.baseline))), args.baseline)
    return Study('ablation', rows, seeds=tuple(args.seeds or (0, )),
                 splits=(args.split or 'val', ), baseline=baseline, data_root=args.data_root)


def main(argv=None):
    args = parse_args(argv)
    check(args)
    from eiou_lab.experiments.runner import backend_from_args, run_study
    study = make_study(args)
    backend = backend_from_args(args, study.data_root)
    out = run_study(study, args.work_dir, backend, args.out,
                    args.report_only, args.train_only, args.skip_if_done,
                    printer=lambda line: print(line, flush=True))
    for path in out['reports'].values():
        with open(osp.join(path, 'results.md')) as f:
            print('\n' + f.read())
    if out['failed']:
        print(f'FAILED runs (see their run.log): {sorted(out["failed"])}')
        raise SystemExit(1)
    if not out['reports'] and not out['skipped'] and not args.train_only:
        raise SystemExit('no run finished')


if __name__ == '__main__':
    sys.exit(main())
