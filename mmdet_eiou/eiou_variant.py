"""Any mmdet config's EIoU variant: every IoU-type box loss becomes ``mmdet_eiou.EIoULoss`` and
every IoU match cost ``mmdet_eiou.EIoUCost``, weights kept; optionally the L1/Smooth-L1 box
losses of heads that regress deltas (RetinaNet, Faster R-CNN) switch to EIoU on decoded boxes.

:func:`to_eiou` returns the variant as a config that *inherits* the original (``_base_``) and
overrides only what changed; :func:`eiou_variant` also returns the list of :class:`Change` s,
which ``tools/to_eiou.py`` prints as a table after writing the variant.
"""
import copy
import os.path as osp
from typing import Any, List, NamedTuple, Optional, Tuple, Union

from mmengine.config import Config

#: mmdet's IoU-type box losses (``mmdet/models/losses/iou_loss.py``), and ours
IOU_LOSSES = ('IoULoss', 'GIoULoss', 'DIoULoss', 'CIoULoss', 'EIoULoss', 'SIoULoss',
              'mmdet_eiou.EIoULoss')
IOU_COSTS = ('IoUCost', 'mmdet_eiou.EIoUCost')
DELTA_LOSSES = ('L1Loss', 'SmoothL1Loss')
#: heads that pass their priors to the loss (SOT in the prior's units), by mmdet's head type
PRIORS_HEADS = {'RetinaHead': 'mmdet_eiou.PriorsToLossRetinaHead',
                'Shared2FCBBoxHead': 'mmdet_eiou.PriorsToLossShared2FCBBoxHead',
                'DINOHead': 'mmdet_eiou.PriorsToLossDINOHead'}
#: the loss weight of EIoU on decoded boxes where an L1-type loss was: mmdet's GIoU configs'
#: (Faster R-CNN's RoI head 10, a dense head 2)
DECODED_WEIGHT = {'roi': 10.0, 'dense': 2.0}


class Change(NamedTuple):
    """One replacement: where (a dotted path in the config), what was there, what is now."""
    path: str
    before: str
    after: str


def _short(d: dict) -> str:
    return ', '.join(f'{k}={v}' for k, v in d.items() if k != '_delete_')


def _type(d: Any) -> Optional[str]:
    return d.get('type') if isinstance(d, dict) and isinstance(d.get('type'), str) else None


def _bare(type_name: str) -> str:
    """``GIoULoss`` for ``mmdet.GIoULoss`` (a scope prefix names the same class)."""
    return type_name.split('.', 1)[1] if type_name.startswith('mmdet.') else type_name


def to_eiou(cfg: Union[str, Config], **options) -> Config:
    """The EIoU variant of ``cfg`` (a path, ``mmdet::`` included, or a loaded Config, then
    with ``base=``): a Config that inherits it (``_base_``) and overrides what changed.
    ``options`` and errors: :func:`eiou_variant`, which also returns the changes."""
    return eiou_variant(cfg, **options)[0]


def eiou_variant(cfg: Union[str, Config], power: float = 2.0, sot: bool = False,
                 symmetric: bool = False, decoded: bool = False, priors: bool = False,
                 base: Optional[str] = None) -> Tuple[Config, List[Change]]:
    """The EIoU variant of ``cfg`` (a path, ``mmdet::`` included, or a loaded Config), and
    what changed.

    Args:
        power: CT exponent of every ``EIoULoss`` (2: the paper's CT; 1: plain EIoU).
        sot: SOT on (Eq. 28); with ``priors`` in the units of each box's prior, through our
            heads that pass them (RetinaNet, the R-CNN box head, DINO), else of its target.
        symmetric: the flip-invariant EIoU in the losses and the costs.
        decoded: also switch L1/Smooth-L1 box losses of heads that regress deltas to EIoU on
            decoded boxes (``reg_decoded_bbox=True``, weight 10 in an RoI head, 2 in a dense
            head, as mmdet's GIoU configs). DETR-style heads keep their L1 term.
        base: the ``_base_`` the variant names (default: ``cfg`` when it is a path).

    Returns:
        ``(variant, changes)``: ``variant`` holds ``_base_`` and the overrides only.

    Raises:
        ValueError: ``cfg`` has no IoU-type loss or cost (nor, with ``decoded``, an L1 loss
        of a delta-regressing head) to replace.
    """
    if isinstance(cfg, str):
        base = base or cfg
        cfg = Config.fromfile(config_file(cfg))
    if base is None:
        raise ValueError('to_eiou of a loaded Config needs base=, the path it inherits')
    model = cfg.model.to_dict()
    changes: List[Change] = []
    new_model = _replace(model, 'model', power, sot, symmetric, decoded, priors, changes)
    if not changes:
        raise ValueError(f'{base}: no IoU-type box loss ({", ".join(IOU_LOSSES[:-1])}) or '
                         'IoUCost to replace' + ('' if decoded else
                                                 '; for a head that regresses deltas with '
                                                 'L1/Smooth-L1, pass decoded=True'))
    imports = list(cfg.get('custom_imports', {}).get('imports', []))
    variant = {'_base_': base,
               'custom_imports': dict(imports=imports + ['mmdet_eiou'] * (
                   'mmdet_eiou' not in imports), allow_failed_imports=False)}
    hooks = list(cfg.get('custom_hooks', []))
    if not any(_type(h) in ('mmdet_eiou.EIoUStatsHook', 'mmdet_eiou.SOTHook') for h in hooks):
        # logs how many positive pairs were disjoint (where EIoU differs from IoU), SOT's factor
        variant['custom_hooks'] = hooks + [dict(type='mmdet_eiou.EIoUStatsHook')]
    variant['model'] = _diff(model, new_model)
    return Config(variant), changes


def _replace(node: Any, path: str, power: float, sot: bool, symmetric: bool, decoded: bool,
             priors: bool, changes: List[Change]) -> Any:
    """A copy of ``node`` with every replacement made, recorded in ``changes``."""
    if isinstance(node, (list, tuple)):
        return type(node)(_replace(v, f'{path}[{i}]', power, sot, symmetric, decoded, priors,
                                   changes) for i, v in enumerate(node))
    if not isinstance(node, dict):
        return node
    kind = _type(node)
    if kind and _bare(kind) in IOU_LOSSES:
        new = _eiou_loss(node, power, sot, symmetric)
        changes.append(Change(path, _short(node), _short(new)))
        return new
    if kind and _bare(kind) in IOU_COSTS:
        new = dict(_delete_=True, type='mmdet_eiou.EIoUCost', weight=node.get('weight', 1.0),
                   symmetric=symmetric)
        changes.append(Change(path, _short(node), _short(new)))
        return new
    out = {k: _replace(v, f'{path}.{k}', power, sot, symmetric, decoded, priors, changes)
           for k, v in node.items()}
    # the detection heads' delta losses (not the RPN's, whose boxes are proposals)
    if decoded and 'bbox_coder' in out and _type(out.get('loss_bbox')) in DELTA_LOSSES \
            and 'loss_iou' not in out and not out.get('reg_decoded_bbox', False) \
            and 'rpn_head' not in path:
        weight = DECODED_WEIGHT['roi' if 'roi_head' in path else 'dense']
        before = _short(out['loss_bbox'])
        out['loss_bbox'] = dict(_eiou_loss(out['loss_bbox'], power, sot, symmetric),
                                loss_weight=weight)
        out['reg_decoded_bbox'] = True
        changes.append(Change(f'{path}.loss_bbox', before,
                              _short(out['loss_bbox']) + ', reg_decoded_bbox=True'))
    if priors and sot and kind and _bare(kind) in PRIORS_HEADS:
        out['type'] = PRIORS_HEADS[_bare(kind)]
        changes.append(Change(f'{path}.type', kind, out['type'] + ' (passes priors: SOT '
                                                              "in the prior's units)"))
    return out


def _eiou_loss(old: dict, power: float, sot: bool, symmetric: bool) -> dict:
    """Our loss in place of ``old``: its weight and reduction kept, its own options dropped
    (``mode``, ``eps``, ``smooth_point``: ``_delete_``)."""
    new = dict(_delete_=True, type='mmdet_eiou.EIoULoss', power=power, sot=sot,
               symmetric=symmetric, loss_weight=old.get('loss_weight', 1.0))
    if 'reduction' in old:
        new['reduction'] = old['reduction']
    return new


def _diff(old: Any, new: Any) -> Any:
    """The override that turns ``old`` into ``new`` under mmengine's merge: changed dict keys
    (recursively), a list whole (its elements without ``_delete_``: a list replaces)."""
    if isinstance(old, dict) and isinstance(new, dict) and not new.get('_delete_'):
        return {k: _diff(old.get(k), v) for k, v in new.items() if old.get(k) != v}
    if isinstance(new, (list, tuple)):
        return type(new)(_without_delete(v) for v in new)
    return copy.deepcopy(new)


def _without_delete(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_delete(v) for k, v in node.items() if k != '_delete_'}
    if isinstance(node, (list, tuple)):
        return type(node)(_without_delete(v) for v in node)
    return node


def write_variant(variant: Config, path: str) -> None:
    """Write ``variant`` as a config file (``_base_`` first, then the overrides)."""
    text = variant.pretty_text
    with open(path, 'w') as f:
        f.write(f'# The EIoU variant of {variant._base_}, written by mmdet_eiou.to_eiou\n'
                + text)


def change_table(changes: List[Change]) -> str:
    """The changes as a markdown table."""
    rows = ['| where | before | after |', '|---|---|---|']
    rows += [f'| {c.path} | {c.before} | {c.after} |' for c in changes]
    return '\n'.join(rows)


def config_file(config: str) -> str:
    """The file of ``config``: a path, or ``pkg::path`` in an OpenMMLab package's configs
    (as ``_base_`` reads it)."""
    if '::' not in config:
        return config
    from mmengine.config.utils import _get_package_and_cfg_path
    from mmengine.utils import get_installed_path
    package, path = _get_package_and_cfg_path(config)
    return osp.join(get_installed_path(package), '.mim', 'configs', path)


def relative_base(config: str, out: str) -> str:
    """The ``_base_`` the written variant names: ``mmdet::...`` as given, a file relative to
    the variant's folder (mmengine resolves ``_base_`` relative to the config)."""
    if '::' in config:
        return config
    return osp.relpath(osp.abspath(config), osp.dirname(osp.abspath(out)))
