"""The two configs a run derives from its row: one to train, one to score a split.

Both are small files in the run's work dir that inherit the row's config (``_base_``), so a
run can be retrained or rescored by hand with ``tools/train.py`` / ``tools/test.py`` and what
it changed is readable there. Options (``cfg_options``) are not written in: they go on the
command line of both, as a user would pass them.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

# COCO's thresholds (mmdet's ``CocoMetric.iou_thrs`` default): the AP curve of a config whose
# evaluator is mmdet's plain ``CocoMetric``.
COCO_IOU_THRS = tuple(round(float(t), 2) for t in np.linspace(0.5, 0.95, 10))
# Scored once, at the end, by tools/test.py: training never validates. mmengine's loops
# validate at their last iteration (epoch) whatever the interval, unless validation has not
# begun, so both are set.
NEVER = 1_000_000_000
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
# Scoring's logger: mmengine's, with the test record written once however many processes score.
SCORE_LOGGER = 'eiou_lab.MainProcessLoggerHook'


def load_config(path: str):
    """The config at ``path``, read only: its ``custom_imports`` are not imported (the stack
    they import is the training's and scoring's, not the runner's)."""
    from mmengine.config import Config
    return Config.fromfile(path, import_custom_modules=False)


def data_root_overrides(cfg, data_root: str) -> Dict[str, object]:
    """``{key: value}`` that move ``cfg``'s three datasets and two evaluators to ``data_root``
    (the same json names, in the new folder).

    Setting the config's top-level ``data_root`` is not enough: mmengine resolved it into
    every dataloader when the config was parsed (the one place this is done: the runner's
    derived configs and the tests' micro configs use it).
    """
    root = data_root.rstrip('/') + '/'
    out = {f'{loader}.dataset.data_root': root for loader in LOADERS}
    for evaluator in ('val_evaluator', 'test_evaluator'):
        out[f'{evaluator}.ann_file'] = root + osp.basename(cfg[evaluator].ann_file)
    return out


def scaled_schedule(cfg, max_iters: int) -> List[dict]:
    """``cfg.param_scheduler`` for ``max_iters`` iterations: milestones and ends scaled alike,
    so that a longer or shorter run keeps the schedule's shape."""
    old = cfg.train_cfg.max_iters
    schedulers = []
    for sched in cfg.param_scheduler:
        sched = dict(sched)
        if 'milestones' in sched:
            sched['milestones'] = [round(m * max_iters / old) for m in sched['milestones']]
        if sched.get('end') == old:
            sched['end'] = max_iters
        schedulers.append(sched)
    return schedulers


def write_train_config(config: str, seed: int, work_dir: str, data_root: Optional[str] = None,
                       max_iters: Optional[int] = None) -> str:
    """``work_dir/run_config.py``: ``config`` with this run's seed, data and schedule."""
    cfg = load_config(config)
    lines = [f'_base_ = {osp.abspath(config)!r}', f'randomness = dict(seed={seed})']
    if data_root:
        lines += nested_assignments(data_root_overrides(cfg, data_root))
    train_cfg = dict(val_interval=NEVER, val_begin=NEVER)
    if max_iters:
        train_cfg['max_iters'] = max_iters
        lines.append(f'param_scheduler = {scaled_schedule(cfg, max_iters)!r}')
        if max_iters < 20:  # short runs: log every iteration so that s/iter is still measured
            lines.append('default_hooks = dict(logger=dict(interval=1))')
    lines.append(f'train_cfg = {train_cfg!r}')
    return write(osp.join(work_dir, 'run_config.py'), lines)


def write_score_config(train_config: str, split: str, work_dir: str) -> str:
    """``work_dir/score_<split>.py``: the training config, scoring ``split`` with the config's
    own loader and evaluator for it (``val_*`` for val, ``test_*`` for test), by
    ``mmdet_eiou.CocoAPAtIoUMetric`` at the evaluator's IoU thresholds, its JSON record written
    by the main process alone (``eiou_lab.MainProcessLoggerHook``)."""
    cfg = load_config(train_config)
    loader, evaluator = cfg[f'{split}_dataloader'], cfg[f'{split}_evaluator']
    lines = [f'_base_ = {osp.abspath(train_config)!r}',
             f'test_dataloader = dict(_delete_=True, **{loader.to_dict()!r})',
             f'test_evaluator = dict(_delete_=True, **{ap_curve_evaluator(evaluator)!r})',
             f'default_hooks = dict(logger=dict(type={SCORE_LOGGER!r}))']
    return write(osp.join(work_dir, f'score_{split}.py'), lines)


def ap_curve_evaluator(evaluator) -> dict:
    """The evaluator that scores the AP curve: ours (or a subclass, e.g. ``CocoAP90Metric``)
    as configured, or mmdet's ``CocoMetric`` as ours (the same keys, plus AP at each of its
    ``iou_thrs``)."""
    from mmdet.evaluation import CocoMetric

    from mmdet_eiou.evaluation import CocoAPAtIoUMetric
    from mmdet_eiou.registry import METRICS
    evaluator = evaluator.to_dict() if hasattr(evaluator, 'to_dict') else dict(evaluator)
    kind = METRICS.get(evaluator['type'])
    if kind is not None and issubclass(kind, CocoAPAtIoUMetric):
        return evaluator
    if kind is CocoMetric:
        evaluator['type'] = 'mmdet_eiou.CocoAPAtIoUMetric'
        evaluator['ap_iou_thrs'] = tuple(evaluator.get('iou_thrs') or COCO_IOU_THRS)
        return evaluator
    raise ValueError(f"scoring needs a COCO evaluator (mmdet_eiou.CocoAPAtIoUMetric or mmdet's "
                     f"CocoMetric), the config has {evaluator['type']}")


def nested_assignments(overrides: Dict[str, object]) -> List[str]:
    """Config lines for dotted ``{key: value}`` overrides (``a.b.c=v`` -> ``a = dict(b=dict(
    c=v))``), one line per top-level key, merged into the base as mmengine merges dicts."""
    tree: dict = {}
    for key, value in overrides.items():
        *parents, leaf = key.split('.')
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return [f'{top} = {value!r}' for top, value in tree.items()]


def write(path: str, lines: Sequence[str]) -> str:
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path
