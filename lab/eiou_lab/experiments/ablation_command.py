"""The ablation command line of ``tools/ablation.py`` (and of ``tools/ab_eiou.py``, which
passes on every option but its own): the arguments, their checks, the study they describe
(:func:`make_study`: rows or a study file, narrowed by ``--only-rows``, ``--seeds``,
``--max-iters``...) and the run (:func:`main`); the tools are thin command lines over it."""
import argparse
import os.path as osp

DESCRIPTION = ('Run an ablation study: rows x seeds trained and scored (resumable), then '
               'compared.')


def parse_args(argv=None):
    from eiou_lab.experiments.runner import add_launcher_arguments
    p = argparse.ArgumentParser(description=DESCRIPTION)
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
