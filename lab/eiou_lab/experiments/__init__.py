"""Ablation studies as data: plan, execute (here, torchrun or Slurm), collect, compare, report.

A study (:mod:`.study`; a file in ``configs/studies/`` or ``tools/ablation.py --rows``) names
rows, a baseline, seeds and splits; :func:`.runner.run_study` trains and scores what is not
done yet on a backend (:mod:`.backends`, :mod:`.slurm`), records each run's metrics
(:mod:`.collect`, from what ``CocoAPAtIoUMetric`` wrote) in the study's store, and writes each
split's report (:mod:`.report`: means and spreads over seeds, paired gains over the baseline
with t-intervals (:mod:`.stats`), the gain at each IoU threshold, plots). Needs mmdet.
"""
from .backends import LocalBackend, TorchrunBackend
from .plan import Run
from .runner import run_study
from .slurm import SlurmBackend
from .study import Row, Study, load_study

__all__ = ['LocalBackend', 'Row', 'Run', 'SlurmBackend', 'Study', 'TorchrunBackend',
           'load_study', 'run_study']
