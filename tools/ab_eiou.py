"""A/B-test EIoU on your detector in one command: CONFIG against its EIoU variant, over paired
seeds, locally, with torchrun or on Slurm; the report is the paired table with intervals.

    python tools/ab_eiou.py CONFIG [--power 2] [--sot [--priors]] [--symmetric] [--decoded] \\
        --seeds 0 1 2 [--split val|test] [--work-dir DIR] [--launcher local|pytorch|slurm ...]

CONFIG is a file or an ``mmdet::`` path. The variant is ``tools/to_eiou.py``'s (its table is
printed first); every other option is ``tools/ablation.py``'s, whose runs are resumable:
finished runs are skipped, a killed training resumes from its checkpoint.
"""
import argparse
import os.path as osp
import sys
import warnings

warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    parser.add_argument('config')
    parser.add_argument('--power', type=float, default=2.0)
    parser.add_argument('--sot', action='store_true')
    parser.add_argument('--priors', action='store_true')
    parser.add_argument('--symmetric', action='store_true')
    parser.add_argument('--decoded', action='store_true')
    parser.add_argument('--work-dir', default='work_dirs/ab')
    args, rest = parser.parse_known_args(argv)
    from eiou_lab.experiments import ablation_command
    from eiou_lab.experiments.ab import ab_rows
    from mmdet_eiou.eiou_variant import change_table
    try:
        baseline, variant, changes = ab_rows(
            args.config, osp.join(args.work_dir, 'configs'), power=args.power, sot=args.sot,
            priors=args.priors, symmetric=args.symmetric, decoded=args.decoded)
    except ValueError as err:
        raise SystemExit(f'ab_eiou: {err}')
    print(change_table(changes) + '\n', flush=True)
    return ablation_command.main(['--rows', baseline, variant, '--work-dir', args.work_dir, *rest])


if __name__ == '__main__':
    sys.exit(main())
