"""The three steps of a run, as every backend takes them: train, score, collect.

``training_args`` and ``scoring_args`` give the arguments of ``tools/train.py`` and
``tools/test.py`` after the script (a backend puts its launcher in front: python, torchrun,
srun); ``collect`` turns what scoring wrote into the run's ``metrics_<split>.json`` and records
it in the study's store.
"""
import json
import os
import os.path as osp
from typing import List, Optional

from . import collect as collect_
from .plan import TRAINED, Run
from .run_config import load_config, write_score_config, write_train_config

def tool(name: str) -> str:
    """Path of one of the add-on's launch tools (``train.py``, ``test.py``, ``dist_*.sh``,
    ``slurm_*.sh``), as the installed ``mmdet_eiou`` carries them for mim
    (``mmdet_eiou/.mim/tools``: links to the checkout's for an editable install, copies in a
    wheel): the lab runs whatever add-on is installed, wherever it is."""
    from importlib.util import find_spec
    package = find_spec('mmdet_eiou')  # found, not imported: that would import the stack
    if package is None:
        raise ModuleNotFoundError('mmdet_eiou is not installed: pip install -e . (or the '
                                  'wheel) first')
    path = osp.join(package.submodule_search_locations[0], '.mim', 'tools', name)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} not found: install mmdet_eiou with pip (pip install '
                                '-e . links its tools there)')
    return path


def training_args(run: Run, data_root: Optional[str]) -> Optional[List[str]]:
    """``[config, --work-dir, DIR, (train_args), (--resume), (--cfg-options ...)]`` that train
    the run's checkpoint (resuming a killed training), or None when that training has
    finished."""
    if run.is_trained():
        return None
    os.makedirs(run.train_dir, exist_ok=True)
    row = run.row
    config = write_train_config(row.config, run.seed, run.train_dir, data_root, row.max_iters)
    args = [config, '--work-dir', run.train_dir, *row.train_args]
    if osp.isfile(osp.join(run.train_dir, 'last_checkpoint')):
        args.append('--resume')
    return args + (['--cfg-options', *row.cfg_options] if row.cfg_options else [])


def mark_trained(run: Run) -> None:
    open(osp.join(run.train_dir, TRAINED), 'w').close()


def score_config(run: Run, data_root: Optional[str]) -> str:
    """The run's ``score_<split>.py`` (and the ``run_config.py`` it inherits), written once;
    a run that trained here already has that ``run_config.py`` (:func:`training_args`)."""
    os.makedirs(run.work_dir, exist_ok=True)
    path = osp.join(run.work_dir, f'score_{run.split}.py')
    if not osp.isfile(path):
        train_config = osp.join(run.work_dir, 'run_config.py')
        if not osp.isfile(train_config):
            write_train_config(run.row.config, run.seed, run.work_dir, data_root,
                               run.row.max_iters)
        write_score_config(train_config, run.split, run.work_dir)
    return path


def scoring_args(run: Run, data_root: Optional[str], checkpoint: str) -> List[str]:
    """``[config, CHECKPOINT, --work-dir, DIR, --out, PKL, (--cfg-options ...)]`` that score
    the run's split (its options, then its scoring-only options)."""
    options = [*run.row.cfg_options, *run.row.test_options]
    return [score_config(run, data_root), checkpoint, '--work-dir', run.test_dir, '--out',
            run.predictions, *(['--cfg-options', *options] if options else [])]


def collect(run: Run, processes: int = 1) -> dict:
    """Read what scoring wrote, write ``metrics_<split>.json``, record it in the store; return
    the metrics. ``processes`` scored side by side (distributed), each its own batches."""
    cfg = load_config(osp.join(run.work_dir, f'score_{run.split}.py'))
    thrs = [float(t) for t in cfg.test_evaluator.ap_iou_thrs]
    metrics = collect_.score_metrics(run.test_dir, thrs,
                                     cfg.test_dataloader.batch_size * processes)
    metrics.update(collect_.train_statistics(run.train_dir))
    metrics.update(collect_.localisation(run.predictions, cfg.test_evaluator.ann_file))
    with open(run.metrics_file, 'w') as f:
        json.dump(metrics, f, indent=1)
    run.record()
    return metrics
