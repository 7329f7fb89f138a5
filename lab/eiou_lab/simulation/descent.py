"""Plain gradient descent of boxes on a box loss, without a detector.

The one update step and the one use of our loss on boxes optimised as they are, shared by the
DIoU-style simulation (:mod:`.regression`) and the paper's toy figures
(:mod:`eiou_lab.analysis.paper_figures`), so that both move boxes the same way and bound SOT
(Eq. 28) by the same ``M`` (:data:`SOT_MAX`).
"""
from typing import Callable, Optional, Tuple

import torch
from torch import Tensor

from mmdet_eiou.ops import eiou_loss

BoxLoss = Callable[[Tensor, Tensor], Tensor]  # (pred (N, 4), target (N, 4)) -> per-box (N,)

#: Theorem 1's bound ``M`` of the SOT factor for boxes optimised as they are; it never binds
#: (see :func:`eiou_box_loss`).
SOT_MAX = 1.0e4


def eiou_box_loss(pred: Tensor, target: Tensor, power: float, sot: bool,
                  symmetric: bool = False) -> Tuple[Tensor, Tensor, Tensor]:
    """Our per-box loss ``(1 - EIoU)^power`` (Eq. 23), the EIoU (Eq. 22) and the SOT factor
    of every box (``symmetric``: the flip-invariant EIoU instead of the paper's).

    The only call of our functional outside the detector, so that its API lives in one place.
    With ``sot`` the backward multiplies each box's gradient by ``g = U_e`` in the optimised
    units (Eq. 28: ``sot_area`` of ones, not the target's area, which would make ``g``
    scale-free and undo the scale adaptation under study), the unit in which Fig. 5a's scale
    invariance holds: the gradient of the loss scales as ``1/s`` with the boxes' size ``s`` and
    ``U_e`` as ``s^2``, so the update scales as ``s``. Theorem 1 wants ``0 < g <= M`` and
    ``lr < 1 / (L M)``. :data:`SOT_MAX` (``M = 1e4``) is a bound that never binds in either
    use: the largest factor of the simulation's 1.7 M cases is ~18 at scale 1, so ~290 at
    scale 4 (``OursLoss`` records it), and of the paper's figures 17.3 (Fig. 5a at
    ``s = 4``; tests/test_paper_figures.py checks it). So it cannot break the invariance, while the
    library default (10) would clamp every box at ``scale = 4`` (``U_e >= S_t = 16``) and
    turn SOT into a constant factor. The step-size condition is itself scale-free: ``L``
    scales as ``1/s^2`` and ``U_e`` as ``s^2``.

    Returns:
        ``(loss, eiou, g)``: per-box loss ``(N,)``, EIoU ``(N,)`` (detached) and the SOT
        factor ``(N,)`` (ones without SOT).
    """
    ones = torch.ones(pred.shape[0], dtype=pred.dtype, device=pred.device)
    loss, eiou, scale = eiou_loss(pred, target, power=power, eps=1e-6, sot=sot,
                                  sot_area=ones if sot else None, sot_max=SOT_MAX,
                                  symmetric=symmetric, return_terms=True)
    return loss, eiou, (scale if scale is not None else torch.ones_like(loss))


def descent_step(loss_fn: BoxLoss, boxes: Tensor, targets: Tensor, lr: float,
                 step_weight: Optional[Tensor] = None) -> Tensor:
    """One plain gradient-descent step: ``boxes - lr * dL/dboxes`` (times ``step_weight``,
    broadcast, when given), with ``L`` the sum of ``loss_fn``'s per-box values; each box's
    loss depends on its own corners only, so each box gets its own exact gradient."""
    leaf = boxes.detach().requires_grad_(True)
    grad, = torch.autograd.grad(loss_fn(leaf, targets).sum(), leaf)
    step = grad * lr
    if step_weight is not None:
        step = step * step_weight
    return boxes - step
