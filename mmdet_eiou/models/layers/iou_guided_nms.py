"""Inference with a predicted IoU: score fusion and IoU-guided NMS (Sec. III-E).

Both heads of this package predict the IoU of each regressed box; ``test_cfg.iou_guided``
chooses how it enters post-processing:

* ``dict(mode='fusion', alpha=a)``: score ``cls ** (1 - a) * iou ** a``, then ordinary NMS
  (``a = 0.5`` is the ``sqrt(cls * iou)`` of PAA and of the authors' code).
* ``dict(mode='nms')``: IoU-guided NMS of IoU-Net (Jiang et al., ECCV 2018): boxes are ranked by
  predicted IoU, and each kept box takes the highest classification score among the boxes it
  suppresses (itself included), so the best-localised box survives with the best score.
* ``dict(mode='none')``: ignore the predicted IoU (plain mmdet post-processing).

Everything is class-wise and batched (no Python loop over boxes).
"""
from typing import Optional, Tuple

import torch
from mmcv.ops import batched_nms
from mmdet.structures.bbox import bbox_overlaps
from torch import Tensor

IOU_GUIDED_MODES = ('fusion', 'nms', 'none')


def check_iou_guided_cfg(cfg: Optional[dict]) -> dict:
    """Validate ``test_cfg.iou_guided``; ``None`` means ``dict(mode='fusion', alpha=0.5)``."""
    cfg = dict(mode='fusion', alpha=0.5) if cfg is None else dict(cfg)
    mode = cfg.get('mode')
    if mode not in IOU_GUIDED_MODES:
        raise ValueError(f'iou_guided.mode must be one of {IOU_GUIDED_MODES}, got {mode!r}')
    if mode == 'fusion':
        alpha = cfg.setdefault('alpha', 0.5)
        if not 0 <= alpha <= 1:
            raise ValueError(f'iou_guided.alpha must lie in [0, 1], got {alpha}')
    return cfg


def fuse_scores(cls_scores: Tensor, ious: Tensor, alpha: float) -> Tensor:
    """``cls ** (1 - alpha) * iou ** alpha`` (a weighted geometric mean), IoU clamped to [0, 1]."""
    ious = ious.clamp(min=0, max=1)
    return cls_scores.pow(1 - alpha) * ious.pow(alpha)


def iou_guided_nms(bboxes: Tensor, scores: Tensor, ious: Tensor, labels: Tensor,
                   nms_cfg: dict) -> Tuple[Tensor, Tensor]:
    """IoU-guided NMS, class-wise (IoU-Net's Algorithm 1, vectorised).

    Args:
        bboxes (Tensor): ``(N, 4)`` boxes.
        scores (Tensor): ``(N,)`` classification scores.
        ious (Tensor): ``(N,)`` predicted IoUs, the NMS ranking.
        labels (Tensor): ``(N,)`` class of each box; boxes of different classes never suppress
            each other unless ``nms_cfg['class_agnostic']``.
        nms_cfg (dict): mmcv NMS config; must be hard NMS (``type='nms'``) with
            ``iou_threshold``.

    Returns:
        ``(dets, keep)`` as :func:`mmcv.ops.batched_nms`: ``dets`` ``(K, 5)`` boxes with their
        new scores, sorted by score, and the indices ``keep`` of the kept boxes.
    """
    nms_cfg = dict(nms_cfg)
    if nms_cfg.get('type', 'nms') != 'nms':
        raise ValueError("IoU-guided NMS needs hard NMS (nms=dict(type='nms', ...)), got "
                         f"{nms_cfg.get('type')!r}")
    if bboxes.numel() == 0:
        return bboxes.new_zeros(0, 5), labels.new_zeros(0)
    thr = nms_cfg['iou_threshold']
    class_agnostic = nms_cfg.get('class_agnostic', False)
    _, keep = batched_nms(bboxes, ious, labels, nms_cfg)  # greedy NMS in predicted-IoU order

    # Who suppressed whom: box j falls to the first kept box i (in IoU order) of its class that
    # ranks above it and overlaps it by more than the threshold; a kept box "suppresses" itself.
    order = ious.argsort(descending=True, stable=True)
    rank = torch.empty_like(order)
    rank[order] = torch.arange(order.numel(), device=order.device)
    keep = keep[rank[keep].argsort()]  # kept boxes in ranking order
    overlaps = bbox_overlaps(bboxes[keep], bboxes)  # (K, N)
    suppresses = (overlaps > thr) & (rank[keep][:, None] < rank[None, :])
    if not class_agnostic:
        suppresses &= labels[keep][:, None] == labels[None, :]
    suppresses[torch.arange(keep.numel(), device=keep.device), keep] = True
    has_suppressor = suppresses.any(0)  # False only for float ties at exactly the threshold
    suppressor = suppresses.to(torch.uint8).argmax(0)  # first kept box in ranking order
    new_scores = scores.new_zeros(keep.numel()).scatter_reduce(
        0, suppressor[has_suppressor], scores[has_suppressor], reduce='amax', include_self=False)

    new_scores, by_score = new_scores.sort(descending=True, stable=True)
    keep = keep[by_score]
    return torch.cat([bboxes[keep], new_scores[:, None]], dim=1), keep


def iou_guided_postprocess(bboxes: Tensor, scores: Tensor, ious: Tensor, labels: Tensor,
                           nms_cfg: dict, iou_guided: Optional[dict]) -> Tuple[Tensor, Tensor]:
    """NMS of ``(N, 4)`` boxes with classification ``scores`` and predicted ``ious``.

    Returns ``(dets, keep)`` like :func:`mmcv.ops.batched_nms`, by ``iou_guided['mode']``.
    """
    cfg = check_iou_guided_cfg(iou_guided)
    if bboxes.numel() == 0:
        return bboxes.new_zeros(0, 5), labels.new_zeros(0)
    if cfg['mode'] == 'nms':
        return iou_guided_nms(bboxes, scores, ious, labels, nms_cfg)
    if cfg['mode'] == 'fusion':
        scores = fuse_scores(scores, ious, cfg['alpha'])
    return batched_nms(bboxes, scores, labels, nms_cfg)


def multiclass_iou_guided_nms(multi_bboxes: Tensor, multi_scores: Tensor, ious: Tensor,
                              score_thr: float, nms_cfg: dict, max_num: int = -1,
                              iou_guided: Optional[dict] = None) -> Tuple[Tensor, Tensor]:
    """:func:`mmdet.models.layers.multiclass_nms` with a predicted IoU per box.

    Args:
        multi_bboxes (Tensor): ``(R, 4)`` or class-specific ``(R, 4 * C)``.
        multi_scores (Tensor): ``(R, C + 1)``, background last.
        ious (Tensor): predicted IoU, ``(R, 1)`` class-agnostic or ``(R, C)``.
        score_thr (float): boxes with classification score <= ``score_thr`` are dropped first
            (before fusion, as mmdet applies score factors after the threshold).
        nms_cfg (dict): mmcv NMS config.
        max_num (int): keep at most this many (``-1``: all).
        iou_guided (dict): see the module docstring.

    Returns:
        ``(dets, labels)``: ``(K, 5)`` boxes with scores, ``(K,)`` labels.
    """
    num_classes = multi_scores.size(1) - 1
    if multi_bboxes.size(1) > 4:
        bboxes = multi_bboxes.view(multi_scores.size(0), -1, 4)
    else:
        bboxes = multi_bboxes[:, None].expand(-1, num_classes, 4)
    scores = multi_scores[:, :-1]
    ious = ious.expand(-1, num_classes) if ious.size(1) == 1 else ious
    labels = torch.arange(num_classes, device=scores.device).expand_as(scores)
    valid = scores > score_thr
    bboxes, scores, ious, labels = bboxes[valid], scores[valid], ious[valid], labels[valid]
    dets, keep = iou_guided_postprocess(bboxes, scores, ious, labels, nms_cfg, iou_guided)
    if max_num > 0:
        dets, keep = dets[:max_num], keep[:max_num]
    return dets, labels[keep]
