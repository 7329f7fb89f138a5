"""``eiou_lab.DisjointCensusHook``: record, every training iteration, how many positive
pairs the box losses saw, how many of them were disjoint (where EIoU differs from IoU) and the
EIoU of those, split by where the pairs came from.

The census that sizes EIoU's experiments (:mod:`eiou_lab.analysis.disjoint_census`) reads
what this hook writes. It watches the loss modules' inputs (a forward hook: the pairs are
those with positive weight, all of them when the call passes no weight), so it counts the
same whatever the loss computes, ours or mmdet's.

Sources. A DETR-style head (mmdet's ``DETRHead`` and its subclasses: Deformable DETR, DINO,
...) calls its box losses for the matched queries of every decoder layer, for the encoder's
proposals (two-stage heads) and for the denoising queries (DINO); the hook tells these apart
by wrapping, on the head instance, ``loss_by_feat`` (which counts the ``loss_by_feat_single``
calls: one per decoder layer, then the encoder's) and ``loss_dn`` (whose ``_loss_dn_single``
calls are one per decoder layer). Every other head's pairs are ``'all'``.
"""
import json
import os.path as osp
from contextlib import contextmanager
from typing import Dict, List, Optional, Sequence

import torch
from mmdet.models.dense_heads import DETRHead
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from torch import nn

from mmdet_eiou.models.losses import eiou_losses
from mmdet_eiou.ops import extended_iou

from .registry import HOOKS

CENSUS_FILE = 'disjoint_census.jsonl'
DECODER, ENCODER, DENOISING, ALL = 'decoder', 'encoder', 'denoising', 'all'


def positive_pairs(args: tuple, kwargs: dict):
    """``(pred, target, keep)`` of one loss call: the rows that carry weight (a ``(N,)`` or
    ``(N, 4)`` weight; every row when the call gives none) and ``keep``, the ``(N,)`` mask of
    those rows among the call's."""
    pred = args[0] if args else kwargs['pred']
    target = args[1] if len(args) > 1 else kwargs['target']
    weight = args[2] if len(args) > 2 else kwargs.get('weight')
    pred, target = pred.detach().reshape(-1, 4), target.detach().reshape(-1, 4)
    if weight is None:
        return pred, target, torch.ones(pred.size(0), dtype=torch.bool, device=pred.device)
    keep = (weight.detach().reshape(pred.size(0), -1) > 0).any(dim=1)
    return pred[keep], target[keep], keep


class DETRSourceTracker:
    """Which part of a DETR-style head is computing its losses (see the module docstring)."""

    def __init__(self) -> None:
        self.source = ALL
        #: the decoder layer whose losses are being computed (matched or denoising queries);
        #: None elsewhere (the encoder's proposals, a head that is not DETR-style)
        self.layer: Optional[int] = None
        self._layers = 0
        self._calls = 0
        self._dn_calls = 0
        self._heads: List[nn.Module] = []

    @contextmanager
    def _as(self, source: str, layer: Optional[int] = None):
        before, self.source, self.layer = (self.source, self.layer), source, layer
        try:
            yield
        finally:
            self.source, self.layer = before

    def install(self, head: nn.Module) -> bool:
        """Wrap ``head``'s methods (instance attributes; the class is untouched) when it is a
        DETR-style head (mmdet's ``DETRHead`` or a subclass); True if it did."""
        if not isinstance(head, DETRHead):
            return False
        by_feat, single = head.loss_by_feat, head.loss_by_feat_single

        def loss_by_feat(*args, **kwargs):
            scores = args[0] if args else next(iter(kwargs.values()))
            self._layers, self._calls = int(scores.shape[0]), 0  # (layers, batch, queries, C)
            return by_feat(*args, **kwargs)

        def loss_by_feat_single(*args, **kwargs):
            layer = self._calls if self._calls < self._layers else None
            self._calls += 1
            with self._as(ENCODER if layer is None else DECODER, layer):
                return single(*args, **kwargs)

        head.loss_by_feat, head.loss_by_feat_single = loss_by_feat, loss_by_feat_single
        if hasattr(head, 'loss_dn'):
            dn, dn_single = head.loss_dn, head._loss_dn_single

            def loss_dn(*args, **kwargs):
                self._dn_calls = 0
                with self._as(DENOISING):
                    return dn(*args, **kwargs)

            def loss_dn_single(*args, **kwargs):
                self._dn_calls += 1
                with self._as(DENOISING, self._dn_calls - 1):
                    return dn_single(*args, **kwargs)

            head.loss_dn, head._loss_dn_single = loss_dn, loss_dn_single
        self._heads.append(head)
        return True

    def remove(self) -> None:
        for head in self._heads:
            for name in ('loss_by_feat', 'loss_by_feat_single', 'loss_dn', '_loss_dn_single'):
                head.__dict__.pop(name, None)
        self._heads = []


@HOOKS.register_module()
class DisjointCensusHook(Hook):
    """Write one JSON line per training iteration to ``WORK_DIR/disjoint_census.jsonl``:
    ``{"iter": i, "sources": {source: {"pairs": n, "disjoint": k, "touching": z,
    "eiou": [...]}}}``, where ``pairs`` counts the positive pairs the watched losses saw,
    ``disjoint`` those apart (``EIoU < 0``: where EIoU differs from IoU), ``touching`` those
    with ``EIoU == 0`` (no overlap, no gap: boxes that touch, or a zero-area box, as an
    anchor-free head's first predictions) and ``eiou`` lists the disjoint pairs' EIoU
    (4 decimals).

    Args:
        losses (Sequence[str]): names of the modules to watch, as ``model.named_modules()``
            gives them (e.g. ``['bbox_head.loss_iou']``). Default: every
            ``mmdet_eiou.EIoULoss`` in the model.

    EIoU here is the paper's (Eq. 22; whether a pair is apart does not depend on the variant).
    A resumed training appends; the reader keeps an iteration's last line. In a distributed
    run the file holds the first process's pairs (a sample of the batch). One host
    synchronisation per loss call: a measuring tool, not for production runs.
    """
    priority = 'NORMAL'

    def __init__(self, losses: Optional[Sequence[str]] = None) -> None:
        self.loss_names = list(losses) if losses else None
        self._tracker = DETRSourceTracker()
        self._handles = []
        self._counts: Dict[str, dict] = {}
        self._path = ''

    def before_train(self, runner) -> None:
        model = getattr(runner.model, 'module', runner.model)
        if self.loss_names is None:
            watched = eiou_losses(model)
        else:
            modules = dict(model.named_modules())
            missing = [n for n in self.loss_names if n not in modules]
            if missing:
                raise KeyError(f'DisjointCensusHook: no module {missing} in the model')
            watched = [modules[n] for n in self.loss_names]
        if not watched:
            raise ValueError('DisjointCensusHook: the model has no mmdet_eiou.EIoULoss; name '
                             'the box losses to watch with losses=[...]')
        for module in model.modules():
            if any(getattr(module, name, None) is loss for loss in watched
                   for name in ('loss_iou', 'loss_bbox')):
                self._tracker.install(module)
        self._handles = [m.register_forward_hook(self._count, with_kwargs=True)
                         for m in watched]
        self._path = osp.join(runner.work_dir, CENSUS_FILE)

    def _count(self, module, args, kwargs, output) -> None:
        if not module.training:
            return
        pred, target, _ = positive_pairs(args, kwargs)
        counts = self._counts.setdefault(self._tracker.source,
                                         dict(pairs=0, disjoint=0, touching=0, eiou=[]))
        counts['pairs'] += int(pred.size(0))
        if pred.numel():
            with torch.no_grad():
                eiou = extended_iou(pred.float(), target.float())
            apart = eiou[eiou < 0]
            counts['disjoint'] += int(apart.numel())
            counts['touching'] += int((eiou == 0).sum())
            counts['eiou'] += [round(v, 4) for v in apart.tolist()]

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._counts = {}

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        if is_main_process():
            with open(self._path, 'a') as f:
                f.write(json.dumps(dict(iter=runner.iter + 1, sources=self._counts)) + '\n')
        self._counts = {}

    def after_train(self, runner) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._tracker.remove()
