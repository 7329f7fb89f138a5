"""Regenerate every study's reports from the recorded results, and README's tables.

    python tools/report_studies.py [STUDY.py ...] [--readme README.md]

Nothing trains or scores: each study (default: every ``configs/studies/*.py``) is reported
from its store (``docs/precision/runs`` for the precision track) into its ``report`` folders,
and the tables README marks (``<!-- table: STUDY SPLIT -->``) are rewritten.
"""
import argparse
import glob
import warnings

warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('studies', nargs='*', help='default: configs/studies/*.py')
    parser.add_argument('--readme', default='README.md', help="'' to leave it alone")
    args = parser.parse_args(argv)
    from eiou_lab.experiments.runner import regenerate_reports
    studies = args.studies or sorted(glob.glob('configs/studies/*.py'))
    for study, splits in regenerate_reports(studies, args.readme or None).items():
        print(f'{study}: {", ".join(splits) or "nothing recorded"}')


if __name__ == '__main__':
    main()
