"""The box losses a benchmark compares: ours, and the baselines that import on this machine.

Each is ``fn(pred, target) -> scalar``: the mean loss over aligned ``(N, 4)`` pairs.
"""
import warnings
from typing import Callable, Dict

import torch
from torch import Tensor

from mmdet_eiou.ops import eiou_loss

LossFn = Callable[[Tensor, Tensor], Tensor]
#: What the others are divided by, where measured: the usual IoU loss and the usual box loss;
#: mmdet's GIoU also as a head calls it, with a weight.
BASELINES = ('torchvision GIoU', 'torch GIoU (eager)', 'mmdet GIoU', 'mmdet GIoU weighted',
             'mmdet SmoothL1')


def compared_losses(device: torch.device) -> Dict[str, LossFn]:
    """name -> loss, in the order of the table: ours first (``eiou_loss``, pure torch, and
    ``mmdet_eiou.EIoULoss`` with mmdet), then torchvision's and mmdet's where they import, and a
    plain-torch GIoU that is always there."""
    losses = {
        'eiou_loss CT': lambda p, t: eiou_loss(p, t, power=2.0, reduction='mean'),
        'eiou_loss CT+SOT': lambda p, t: eiou_loss(p, t, power=2.0, sot=True, reduction='mean'),
    }
    losses.update(_mmdet_losses(device))
    losses.update(_torchvision_losses())
    losses['torch GIoU (eager)'] = giou_loss_eager
    return losses


def giou_loss_eager(pred: Tensor, target: Tensor, eps: float = 1e-7) -> Tensor:
    """torchvision's ``generalized_box_iou_loss`` (mean) written out in plain torch: a GIoU
    baseline where torchvision is not installed, and a check on torchvision's timings."""
    x1, y1, x2, y2 = pred.unbind(-1)
    x1g, y1g, x2g, y2g = target.unbind(-1)
    inter = ((torch.min(x2, x2g) - torch.max(x1, x1g)).clamp(min=0)
             * (torch.min(y2, y2g) - torch.max(y1, y1g)).clamp(min=0))
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    iou = inter / (union + eps)
    hull = (torch.max(x2, x2g) - torch.min(x1, x1g)) * (torch.max(y2, y2g) - torch.min(y1, y1g))
    return (1 - iou + (hull - union) / (hull + eps)).mean()


def _mmdet_losses(device: torch.device) -> Dict[str, LossFn]:
    """``mmdet_eiou.EIoULoss`` (CT, CT + SOT with the target's area as SOT's unit) and mmdet's
    own box losses, modules with their default (mean) reduction, and ours and mmdet's GIoU as
    a head calls them, with a weight (:func:`weighted`); none without mmdet."""
    try:
        from mmdet.models.losses import CIoULoss, GIoULoss, SmoothL1Loss
        from mmdet.models.losses import EIoULoss as MMDetEIoULoss

        from mmdet_eiou.models.losses import EIoULoss
    except Exception as err:  # noqa: BLE001  (absent, or broken: mmdet asserts mmcv's version)
        warnings.warn(f'mmdet losses not compared: {type(err).__name__}: {err}')
        return {}
    modules = {
        'ours CT': EIoULoss(power=2.0),
        'ours CT+SOT': EIoULoss(power=2.0, sot=True),
        'ours CT weighted': weighted(EIoULoss(power=2.0).to(device)),
        'mmdet SmoothL1': SmoothL1Loss(beta=1.0),
        'mmdet GIoU': GIoULoss(),
        'mmdet GIoU weighted': weighted(GIoULoss().to(device)),
        'mmdet CIoU': CIoULoss(),
        'mmdet EIoU': MMDetEIoULoss(),
    }
    return {name: module.to(device) if isinstance(module, torch.nn.Module) else module
            for name, module in modules.items()}


def weighted(module: torch.nn.Module) -> LossFn:
    """``module`` called as a head calls it: with a weight per box, 0 for every third (a head
    weights its positives only), made once per N and device."""
    weights: Dict[tuple, Tensor] = {}

    def loss(pred: Tensor, target: Tensor) -> Tensor:
        key = (pred.size(0), pred.device)
        if key not in weights:
            weights[key] = (torch.arange(pred.size(0), device=pred.device) % 3 != 0).float()
        return module(pred, target, weights[key])
    return loss


def _torchvision_losses() -> Dict[str, LossFn]:
    """torchvision's GIoU and CIoU losses (mean); none without torchvision."""
    try:
        from torchvision.ops import complete_box_iou_loss, generalized_box_iou_loss
    except Exception as err:  # noqa: BLE001  (absent, or built for another torch)
        warnings.warn(f'torchvision losses not compared: {type(err).__name__}: {err}')
        return {}
    return {
        'torchvision GIoU': lambda p, t: generalized_box_iou_loss(p, t, reduction='mean'),
        'torchvision CIoU': lambda p, t: complete_box_iou_loss(p, t, reduction='mean'),
    }
