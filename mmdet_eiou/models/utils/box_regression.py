"""What both IoU heads need around their box loss: the guard, the priors, the IoU target."""
import inspect

import torch.nn as nn
from mmdet.structures.bbox import bbox_overlaps, get_box_tensor
from torch import Tensor

from ..losses import EIoULoss


def check_decoded_boxes(loss_bbox: nn.Module, reg_decoded_bbox: bool) -> None:
    """Heads call this once: EIoU of the raw deltas would train silently on meaningless
    numbers."""
    if isinstance(loss_bbox, EIoULoss) and not reg_decoded_bbox:
        raise ValueError('mmdet_eiou.EIoULoss compares boxes, not deltas: set '
                         'reg_decoded_bbox=True in the head that uses it')


def takes_priors(loss_bbox: nn.Module) -> bool:
    """Whether the box loss takes the priors (``priors=``; SOT measures in their units)."""
    return 'priors' in inspect.signature(loss_bbox.forward).parameters


def iou_targets(bbox_coder, priors: Tensor, pred: Tensor, target: Tensor,
                decoded: bool) -> Tensor:
    """``q_g`` of Eq. 31-32: the IoU of each regressed box with its ground truth, detached, in
    ``[0, 1]``. ``pred``/``target`` are decoded boxes when ``decoded``, else the coder's deltas
    relative to ``priors``. For overlapping pairs this is the EIoU the loss computed; for
    disjoint ones it is 0, as the clamped EIoU is."""
    if not decoded:
        pred = get_box_tensor(bbox_coder.decode(priors, pred))
        target = get_box_tensor(bbox_coder.decode(priors, target))
    return bbox_overlaps(pred.detach(), target, is_aligned=True).clamp(min=0, max=1)
