"""``mmdet_eiou.IoUKLLoss``: the IoU head's sigmoid + KL loss (Eq. 31-32)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.losses.utils import weighted_loss
from torch import Tensor

from mmdet_eiou.registry import MODELS


@weighted_loss
def iou_kl_loss(pred: Tensor, target: Tensor) -> Tensor:
    """KL divergence between Bernoulli(q_g) and Bernoulli(sigmoid(x)) (Eq. 31-32), per element.

    ``KL = BCE(x, q_g) - H(q_g)``: the binary cross-entropy minus the entropy of the target,
    so it has BCE's gradient and is 0 exactly when ``sigmoid(x) == q_g``.

    Args:
        pred (Tensor): IoU logits ``x`` of the head, any shape.
        target (Tensor): ground-truth IoU ``q_g`` in ``[0, 1]``, same shape.
    """
    target = target.to(pred.dtype)
    bce = F.binary_cross_entropy_with_logits(pred, target, reduction='none')
    entropy = -(torch.special.xlogy(target, target) + torch.special.xlogy(1 - target, 1 - target))
    return bce - entropy


@MODELS.register_module()
class IoUKLLoss(nn.Module):
    """Sigmoid + KL loss of the IoU head (Eq. 31-32).

    Args:
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``.
        loss_weight (float): weight of the loss.
    """

    def __init__(self, reduction: str = 'mean', loss_weight: float = 1.0) -> None:
        super().__init__()
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self,
                pred: Tensor,
                target: Tensor,
                weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> Tensor:
        """KL between predicted IoU ``sigmoid(pred)`` and ``target`` in ``[0, 1]``."""
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override if reduction_override else self.reduction
        if target.numel() and (target.min() < 0 or target.max() > 1):
            raise ValueError('IoU targets must lie in [0, 1], got range '
                             f'[{target.min().item():.4g}, {target.max().item():.4g}]')
        return self.loss_weight * iou_kl_loss(
            pred, target, weight, reduction=reduction, avg_factor=avg_factor)
