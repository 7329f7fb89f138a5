"""``mmdet_eiou.EIoULoss``: the paper's Smooth-EIoU loss as an mmdet box loss."""
from typing import Optional, Tuple, Union

import torch
import torch.nn as nn
from mmdet.models.losses.utils import weight_reduce_loss
from torch import Tensor

from mmdet_eiou.registry import MODELS
from .eiou import SOT_UNITS, eiou_loss


@MODELS.register_module()
class EIoULoss(nn.Module):
    r"""Smooth-EIoU loss of `A Systematic IoU-Related Method: Beyond Simplified Regression for
    Better Localization <https://ieeexplore.ieee.org/document/9429909>`_ (Peng & Yu, TIP 2021).

    Per box ``loss_weight * (1 - EIoU) ** power`` with EIoU of Eq. 10-22 and the
    convexification technique (CT) of Eq. 23. With ``sot=True`` the gradient of each box is
    multiplied by its extended union in regression units (SOT, Eq. 28; see
    :func:`~mmdet_eiou.models.losses.eiou.sot_scale`); the value is unchanged. The
    :class:`~mmdet_eiou.engine.SOTHook` switches ``sot`` on for every instance in a model.

    This is ``mmdet_eiou.EIoULoss``; mmdet's own ``EIoULoss`` (a Huber-smoothed variant without
    CT or SOT) stays what ``type='EIoULoss'`` builds in scope ``mmdet``.

    Args:
        power (float): CT exponent ``p >= 1``; 2 is Eq. 23, 1 is "EIoU without CT".
        sot (bool): apply SOT to the gradient.
        sot_unit (str): ``'target'`` (``U_e / S_t``, for pixel boxes; default) or ``'none'``
            (``U_e`` as is, for boxes already in regression units).
        sot_max (float): ``M`` of Theorem 1, upper bound of the SOT factor.
        eps (float): floor of the extended union.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``.
        loss_weight (float): weight of the loss.
    """

    def __init__(self,
                 power: float = 2.0,
                 sot: bool = False,
                 sot_unit: str = 'target',
                 sot_max: float = 10.0,
                 eps: float = 1e-6,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if power < 1:
            raise ValueError(f'power must be >= 1, got {power}')
        if sot_unit not in SOT_UNITS:
            raise ValueError(f'sot_unit must be one of {SOT_UNITS}, got {sot_unit!r}')
        if reduction not in ('none', 'mean', 'sum'):
            raise ValueError(f'reduction must be none, mean or sum, got {reduction!r}')
        self.power = power
        self.sot = sot
        self.sot_unit = sot_unit
        self.sot_max = sot_max
        self.eps = eps
        self.reduction = reduction
        self.loss_weight = loss_weight
        # Mean SOT factor of the last forward (over boxes with positive weight), for SOTHook.
        self.last_sot_scale: Optional[Tensor] = None

    def forward(self,
                pred: Tensor,
                target: Tensor,
                weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                return_iou: bool = False,
                **kwargs) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        """Compute the loss.

        Args:
            pred (Tensor): predicted boxes ``(N, 4)``, ``(x1, y1, x2, y2)``.
            target (Tensor): target boxes ``(N, 4)``.
            weight (Tensor, optional): ``(N,)`` or ``(N, 4)`` (averaged over the last dim, as
                mmdet's IoU losses do). Boxes with zero weight are not computed at all.
            avg_factor (float, optional): divisor of the summed loss for ``'mean'``.
            reduction_override (str, optional): ``'none'``, ``'mean'`` or ``'sum'``.
            return_iou (bool): also return the per-box IoU ``(N,)`` (EIoU clamped to
                ``[0, 1]``, which is exactly the standard IoU), detached, for an IoU head.

        Returns:
            The loss, or ``(loss, iou)`` with ``return_iou=True``. For float16/bfloat16 input
            the per-box loss is in the input dtype and a reduced loss stays float32.
        """
        assert reduction_override in (None, 'none', 'mean', 'sum')
        reduction = reduction_override if reduction_override else self.reduction
        if pred.shape != target.shape or pred.dim() != 2 or pred.size(-1) != 4:
            raise ValueError('EIoULoss expects aligned (N, 4) boxes, got '
                             f'{tuple(pred.shape)} and {tuple(target.shape)}; heads that '
                             'regress deltas need reg_decoded_bbox=True')
        if weight is not None and weight.dim() > 1:
            assert weight.shape == pred.shape, (weight.shape, pred.shape)
            weight = weight.mean(-1)

        # Only rows with positive weight are computed (dense heads pass every anchor, most with
        # zero weight); the others get loss 0 and gradient 0, exactly as when multiplied by 0.
        rows = None
        if weight is not None:
            positive = weight > 0
            if not bool(positive.all()):
                rows = positive.nonzero(as_tuple=True)[0]
        sel_pred = pred if rows is None else pred[rows]
        sel_target = target if rows is None else target[rows]

        # Half precision is computed and reduced in float32: areas overflow float16 and so does
        # a sum over many boxes. Per-box ('none') results go back to the input dtype.
        out_dtype = pred.dtype
        if out_dtype in (torch.float16, torch.bfloat16):
            sel_pred, sel_target = sel_pred.float(), sel_target.float()
            weight = None if weight is None else weight.float()
        sot_unit = self.sot_unit if self.sot else None
        loss, eiou, scale = eiou_loss(
            sel_pred, sel_target, power=self.power, eps=self.eps, sot_unit=sot_unit,
            sot_max=self.sot_max)
        self.last_sot_scale = (
            scale.mean().detach() if scale is not None and scale.numel() else None)

        if rows is not None:
            loss = loss.new_zeros(pred.size(0)).index_put((rows, ), loss)
            eiou = eiou.new_zeros(pred.size(0)).index_put((rows, ), eiou)
        if pred.size(0) == 0 or (rows is not None and rows.numel() == 0):
            # Nothing to regress: a zero that keeps the graph (DDP needs every parameter used).
            loss = pred.sum() * 0 if reduction != 'none' else pred.sum(-1) * 0
        else:
            loss = self.loss_weight * weight_reduce_loss(loss, weight, reduction, avg_factor)
            if reduction == 'none':
                loss = loss.to(out_dtype)
        if return_iou:
            return loss, eiou.clamp(min=0, max=1).to(out_dtype)
        return loss


def check_decoded_boxes(loss_bbox: nn.Module, reg_decoded_bbox: bool) -> None:
    """Heads call this: EIoU of the raw deltas would train silently on meaningless numbers."""
    if isinstance(loss_bbox, EIoULoss) and not reg_decoded_bbox:
        raise ValueError('mmdet_eiou.EIoULoss compares boxes, not deltas: set '
                         'reg_decoded_bbox=True in the head that uses it')
