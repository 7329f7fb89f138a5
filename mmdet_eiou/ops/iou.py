"""Standard IoU (SIoU, Eq. 1-9) of ``(x1, y1, x2, y2)`` boxes, aligned or pairwise.

mmdet has it as ``bbox_overlaps`` and torchvision as ``box_iou``; the pure-torch parts of this
package (the simulation, the paper's figures, the localisation analysis) must not need either.
It shares no code with the EIoU kernels of :mod:`.eiou`, so it can check them: EIoU clamped at
0 is this IoU (tests/test_iou.py).
"""
from typing import Tuple

import torch
from torch import Tensor


def box_area(boxes: Tensor) -> Tensor:
    """Area of ``(..., 4)`` boxes (Eq. 6-7); an inverted box (``x2 < x1`` or ``y2 < y1``)
    counts as empty."""
    wh = (boxes[..., 2:] - boxes[..., :2]).clamp(min=0)
    return wh[..., 0] * wh[..., 1]


def box_intersection_union(boxes1: Tensor, boxes2: Tensor,
                           is_aligned: bool = False) -> Tuple[Tensor, Tensor]:
    """Overlap area (Eq. 1-5, 0 for disjoint boxes) and union (Eq. 8).

    Args:
        boxes1, boxes2: ``(N, 4)`` and ``(M, 4)`` boxes; ``M = N`` when ``is_aligned``.
        is_aligned: pair row ``i`` with row ``i`` (``(N,)`` results), else every box of
            ``boxes1`` with every box of ``boxes2`` (``(N, M)``), as mmdet's ``bbox_overlaps``.
    """
    if is_aligned and boxes1.shape != boxes2.shape:
        raise ValueError('aligned boxes must have the same shape, got '
                         f'{tuple(boxes1.shape)} and {tuple(boxes2.shape)}')
    area1, area2 = box_area(boxes1), box_area(boxes2)
    if not is_aligned:  # broadcast (N, 1, 4) against (1, M, 4)
        boxes1, boxes2, area1, area2 = boxes1[:, None], boxes2[None], area1[:, None], area2[None]
    wh = (torch.minimum(boxes1[..., 2:], boxes2[..., 2:])
          - torch.maximum(boxes1[..., :2], boxes2[..., :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter, area1 + area2 - inter


def box_iou(boxes1: Tensor, boxes2: Tensor, is_aligned: bool = False) -> Tensor:
    """IoU (Eq. 9) in ``[0, 1]``, arguments as :func:`box_intersection_union`. Two empty boxes
    have IoU 0 (the union is floored at the smallest normal number of the dtype)."""
    inter, union = box_intersection_union(boxes1, boxes2, is_aligned)
    return inter / union.clamp(min=torch.finfo(union.dtype).tiny)
