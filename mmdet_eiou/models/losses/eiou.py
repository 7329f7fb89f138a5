"""Extended IoU (Eq. 10-22), its CT loss (Eq. 23) and SOT (Eq. 28) with an exact fused backward.

Pure torch: nothing here needs mmdet. Boxes are aligned ``(N, 4)`` pairs in ``(x1, y1, x2, y2)``.

The maths, per axis. With ``x0 = min(x1p, x1t)``, ``x1 = max(x1p, x1t)``, ``x2 = min(x2p, x2t)``
(Eq. 1-4, 10) write ``A = x2 - x0`` and ``C = x1 - x0``; then ``x_min - x0 = min(A, C)`` and
``x_max - x0 = max(A, C)`` (Eq. 12-15), and Eq. 16 reads

    I_e = A_x A_y + min(A, C)_x min(A, C)_y - C_x max(A, C)_y - max(A, C)_x C_y,

which is the overlap area when the boxes overlap (``A >= C`` on both axes, Eq. 17) and negative,
falling with the distance, when they do not (Eq. 18-20). ``U_e = S_t + S_p - I_e`` (Eq. 21) and
``EIoU = I_e / U_e`` (Eq. 22). Computing both axes at once on ``(N, 2)`` tensors halves the work.

Degenerate inputs get a defined, finite answer:

* ``U_e`` is floored at ``eps``; two zero-area boxes therefore have EIoU 0 (loss 1), as for
  mmdet's IoU losses.
* An *inverted* box (``x2 < x1`` or ``y2 < y1``) is read as an empty box whose corners still
  count as a separation: its area counts as zero, and the extended origin ``x0`` is taken over
  all four coordinates, ``min(x1p, x1t, x2p, x2t)`` (for proper boxes this is Eq. 10 unchanged).
  Its EIoU is then in ``[-1, 0]`` like a disjoint box's, its loss ``>= 1``, and the gradient
  raises ``x2`` and lowers ``x1`` until the box is proper again.

The backward is the exact derivative of the expressions above (subgradients at ties), written out
in :class:`_EIoULossFunction`; Appendix A (Eq. 33-36) misses the ``x0`` dependence of the
``2(y1 - y2)`` term when the boxes are disjoint along the other axis, so it is not used.
"""
import os
import warnings
from typing import Optional, Tuple

import torch
from torch import Tensor

#: Units in which SOT measures the extended union (see :func:`sot_scale`).
SOT_UNITS = ('target', 'none')


def _axis_terms(pred: Tensor, target: Tensor):
    """Per-axis quantities of Eq. 10-16 for both axes at once, each ``(N, 2)`` = (x, y)."""
    p1, p2 = pred[:, :2], pred[:, 2:]
    t1, t2 = target[:, :2], target[:, 2:]
    a0 = torch.minimum(p1, t1)  # Eq. 10-11
    a1 = torch.maximum(p1, t1)  # Eq. 1-2
    a2 = torch.minimum(p2, t2)  # Eq. 3-4
    origin = torch.minimum(a0, a2)  # == a0 unless a box is inverted (see module docstring)
    A = a2 - origin
    C = a1 - origin
    return p1, p2, t1, t2, a0, a2, origin, A, C


def _intersection(A: Tensor, C: Tensor) -> Tensor:
    """Eq. 16 from the per-axis ``A = x2 - x0`` and ``C = x1 - x0``."""
    B = torch.minimum(A, C)
    D = torch.maximum(A, C)
    return A.prod(1) + B.prod(1) - C[:, 0] * D[:, 1] - D[:, 0] * C[:, 1]


def _inter_union(pred: Tensor, target: Tensor, eps: float) -> Tuple[Tensor, Tensor, Tensor]:
    """``I_e`` (Eq. 16), ``U_e`` (Eq. 21, floored at ``eps``) and the target's area."""
    *_, A, C = _axis_terms(pred, target)
    inter = _intersection(A, C)
    area_p = (pred[:, 2:] - pred[:, :2]).clamp(min=0).prod(1)
    area_t = (target[:, 2:] - target[:, :2]).clamp(min=0).prod(1)
    union = (area_p + area_t - inter).clamp(min=eps)
    return inter, union, area_t


def extended_intersection_union(pred: Tensor, target: Tensor,
                                eps: float = 1e-6) -> Tuple[Tensor, Tensor]:
    """Extended intersection ``I_e`` (Eq. 16) and extended union ``U_e`` (Eq. 21).

    Args:
        pred, target: aligned boxes ``(N, 4)`` as ``(x1, y1, x2, y2)``.
        eps: floor of ``U_e``.

    Returns:
        ``(I_e, U_e)``, each ``(N,)``. ``U_e >= eps > 0``.
    """
    _check_boxes(pred, target)
    inter, union, _ = _inter_union(pred, target, eps)
    return inter, union


def extended_iou(pred: Tensor, target: Tensor, eps: float = 1e-6) -> Tensor:
    """EIoU of aligned box pairs (Eq. 22), differentiable by autograd.

    Equals ``bbox_overlaps(pred, target, is_aligned=True)`` when the boxes overlap, is 0 when
    they touch, and is negative and decreasing with the distance when they are apart.
    Symmetric in its arguments. Range ``[-1, 1]``.
    """
    inter, union = extended_intersection_union(pred, target, eps)
    return inter / union


def sot_scale(union: Tensor, area_target: Tensor, unit: str, max_scale: float,
              eps: float = 1e-6) -> Tensor:
    """Per-box SOT factor ``g`` of Eq. 28: the extended union in regression units, in (0, M].

    ``unit='none'``: ``U_e`` as it is, for boxes already in the coordinates being optimised
    (the paper's Fig. 5, or boxes normalised by their anchor as in Algorithm 2).
    ``unit='target'``: ``U_e / S_t`` (the target's area). Detectors regress pixel boxes
    through deltas normalised by the prior's size; for a positive sample the prior's area is
    within a small constant factor of the target's, so ``U_e / S_t`` is the paper's
    ``U_e / S_anchor`` (Sec. IV) up to a per-box constant, needs no prior plumbing, and is
    ``>= 1`` for proper boxes, which keeps ``g`` away from 0.
    Theorem 1 needs ``0 < g <= M``: ``g`` is clamped to ``[eps, max_scale]``.
    """
    if unit == 'none':
        scale = union
    elif unit == 'target':
        scale = union / area_target.clamp(min=eps)
    else:
        raise ValueError(f'sot_unit must be one of {SOT_UNITS}, got {unit!r}')
    return scale.clamp(min=eps, max=max_scale)


def _loss_forward(pred: Tensor, target: Tensor, power: float, eps: float,
                  sot_unit: Optional[str], sot_max: float):
    """Per-box loss (Eq. 23), EIoU (Eq. 22) and SOT factor (Eq. 28, or ``None``)."""
    inter, union, area_t = _inter_union(pred, target, eps)
    eiou = inter / union
    loss = (1 - eiou).pow(power)
    scale = None if sot_unit is None else sot_scale(union, area_t, sot_unit, sot_max, eps)
    return loss, eiou, scale


def _loss_backward(grad_loss: Tensor, pred: Tensor, target: Tensor, scale: Optional[Tensor],
                   power: float, eps: float, need_pred: bool, need_target: bool):
    """The exact derivative of :func:`_loss_forward`'s loss w.r.t. ``pred`` and ``target``,
    times ``scale`` (SOT) when given. Recomputes the cheap per-axis terms of the forward."""
    p1, p2, t1, t2, a0, a2, origin, A, C = _axis_terms(pred, target)
    B = torch.minimum(A, C)
    D = torch.maximum(A, C)
    inter = A.prod(1) + B.prod(1) - C[:, 0] * D[:, 1] - D[:, 0] * C[:, 1]
    wh_p = (p2 - p1).clamp(min=0)
    wh_t = (t2 - t1).clamp(min=0)
    union_raw = wh_p.prod(1) + wh_t.prod(1) - inter
    union = union_raw.clamp(min=eps)
    eiou = inter / union

    # dL/dEIoU (Eq. 24, any power), then EIoU = I / (S_t + S_p - I) (Eq. 21-22).
    g_eiou = grad_loss * (-power) * (1 - eiou).pow(power - 1)
    if scale is not None:  # SOT, Eq. 28: scale the gradient, not the loss
        g_eiou = g_eiou * scale
    g_union = torch.where(union_raw > eps, -g_eiou * eiou / union, 0.)  # dE/dU = -I/U^2
    g_inter = g_eiou / union - g_union  # dE/dI directly, plus through U = ... - I
    g_area = g_union[:, None]  # dU/dS_p = dU/dS_t = 1

    # Eq. 16: I = A_x A_y + B_x B_y - C_x D_y - D_x C_y; the partner axis is column-flipped.
    gi = g_inter[:, None]
    g_A = gi * A.flip(1)
    g_B = gi * B.flip(1)
    g_C = -gi * D.flip(1)
    g_D = -gi * C.flip(1)
    a_is_min = A <= C  # B = min(A, C), D = max(A, C)
    g_A = g_A + torch.where(a_is_min, g_B, g_D)
    g_C = g_C + torch.where(a_is_min, g_D, g_B)
    # A = a2 - origin, C = a1 - origin, origin = min(a0, a2)
    g_origin = -(g_A + g_C)
    origin_is_a0 = a0 <= a2
    g_a0 = torch.where(origin_is_a0, g_origin, 0.)
    g_a1 = g_C
    g_a2 = g_A + torch.where(origin_is_a0, 0., g_origin)

    grad_pred = grad_target = None
    p1_is_low = p1 <= t1  # a0 = min(p1, t1) takes p1, a1 = max(p1, t1) takes t1
    p2_is_low = p2 <= t2  # a2 = min(p2, t2) takes p2
    if need_pred:
        g_wh = torch.where(p2 > p1, g_area * wh_p.flip(1), 0.)  # S_p = relu(w) relu(h)
        g_p1 = torch.where(p1_is_low, g_a0, g_a1) - g_wh
        g_p2 = torch.where(p2_is_low, g_a2, 0.) + g_wh
        grad_pred = torch.cat([g_p1, g_p2], dim=1)
    if need_target:
        g_wh = torch.where(t2 > t1, g_area * wh_t.flip(1), 0.)
        g_t1 = torch.where(p1_is_low, g_a1, g_a0) - g_wh
        g_t2 = torch.where(p2_is_low, 0., g_a2) + g_wh
        grad_target = torch.cat([g_t1, g_t2], dim=1)
    return grad_pred, grad_target


# ------------------------------------------------------------------------ fusion
# The forward and the backward above are each a few dozen element-wise ops on (N, 2) columns.
# torch.compile fuses each into one loop (about 3x faster on CPU and no (N, 2) temporaries);
# where no compiler works (no C++ toolchain, unsupported platform) we fall back to eager once,
# with a warning. MMDET_EIOU_COMPILE=0 forces eager, =1 insists on compiling.
_compile_mode: Optional[bool] = None  # None: from MMDET_EIOU_COMPILE, default on
_compiled = None
_compile_failed = False


def set_compile_mode(enabled: Optional[bool]) -> None:
    """``True``: fused (compiled) kernels, ``False``: eager, ``None``: the environment default."""
    global _compile_mode
    _compile_mode = enabled


def _want_compile() -> bool:
    if _compile_mode is not None:
        return _compile_mode
    return os.environ.get('MMDET_EIOU_COMPILE', '1') not in ('0', 'false', 'False', '')


def _kernels():
    """``(forward, backward)``, compiled when wanted and possible, else eager."""
    global _compiled
    if not _want_compile() or _compile_failed:
        return _loss_forward, _loss_backward
    if _compiled is None:
        _compiled = (torch.compile(_loss_forward, dynamic=True),
                     torch.compile(_loss_backward, dynamic=True))
    return _compiled


def _run(kernel_index: int, *args):
    global _compile_failed
    kernels = _kernels()
    if kernels[0] is _loss_forward:
        return kernels[kernel_index](*args)
    try:
        return kernels[kernel_index](*args)
    except Exception as err:  # noqa: BLE001  (any compiler failure: fall back, once)
        if _compile_mode is True or os.environ.get('MMDET_EIOU_COMPILE') == '1':
            raise
        _compile_failed = True
        warnings.warn(f'mmdet_eiou: torch.compile of the EIoU loss failed ({type(err).__name__}: '
                      f'{str(err).splitlines()[0] if str(err) else ""}); using the eager '
                      'kernels (same results, slower). Set MMDET_EIOU_COMPILE=0 to skip the '
                      'attempt.')
        return (_loss_forward, _loss_backward)[kernel_index](*args)


class _EIoULossFunction(torch.autograd.Function):
    """``(1 - EIoU) ** power`` per box with the exact analytic backward, optionally SOT-scaled.

    Only ``pred``, ``target`` and the SOT factor are saved; the backward recomputes the cheap
    per-axis terms instead of keeping a dozen ``(N, 2)`` intermediates alive in between.
    """

    @staticmethod
    def forward(ctx, pred: Tensor, target: Tensor, power: float, eps: float,
                sot_unit: Optional[str], sot_max: float):
        loss, eiou, scale = _run(0, pred, target, power, eps, sot_unit, sot_max)
        ctx.save_for_backward(pred, target, scale)
        ctx.power, ctx.eps = power, eps
        ctx.mark_non_differentiable(eiou)
        if scale is not None:
            ctx.mark_non_differentiable(scale)
        return loss, eiou, scale

    @staticmethod
    def backward(ctx, grad_loss: Tensor, _grad_eiou, _grad_scale):
        pred, target, scale = ctx.saved_tensors
        grad_pred, grad_target = _run(1, grad_loss.contiguous(), pred, target, scale, ctx.power,
                                      ctx.eps, ctx.needs_input_grad[0], ctx.needs_input_grad[1])
        return grad_pred, grad_target, None, None, None, None


def eiou_loss(pred: Tensor,
              target: Tensor,
              power: float = 2.0,
              eps: float = 1e-6,
              sot_unit: Optional[str] = None,
              sot_max: float = 10.0) -> Tuple[Tensor, Tensor, Optional[Tensor]]:
    """Per-box Smooth-EIoU loss ``(1 - EIoU) ** power`` (Eq. 23; CT when ``power > 1``).

    Args:
        pred, target: aligned boxes ``(N, 4)`` as ``(x1, y1, x2, y2)``, any float dtype;
            half precision is computed in float32 (areas overflow float16) and returned in
            the input dtype.
        power: CT exponent ``p``; 2 is Eq. 23, 1 is "EIoU without CT", any ``p >= 1`` works
            (footnote 2 asks for ``p > 1`` so that the gradient vanishes at the minimum).
        eps: floor of the extended union.
        sot_unit: ``None`` for no SOT, else the unit of :func:`sot_scale` (``'target'`` or
            ``'none'``): the backward then multiplies each box's gradient by its factor
            (Eq. 28); the loss value is unchanged.
        sot_max: ``M`` of Theorem 1, the upper bound of the SOT factor.

    Returns:
        ``(loss, eiou, scale)``: per-box loss ``(N,)``, the per-box EIoU ``(N,)`` (detached,
        float32 or float64), and the SOT factors ``(N,)`` (``None`` without SOT).
    """
    _check_boxes(pred, target)
    if power < 1:
        raise ValueError(f'power must be >= 1 (CT needs p > 1, p = 1 is plain EIoU), got {power}')
    if sot_unit is not None and sot_unit not in SOT_UNITS:
        raise ValueError(f'sot_unit must be None or one of {SOT_UNITS}, got {sot_unit!r}')
    if not sot_max > 0:
        raise ValueError(f'sot_max (M of Theorem 1) must be > 0, got {sot_max}')
    dtype = pred.dtype
    compute_dtype = torch.float64 if dtype == torch.float64 else torch.float32
    loss, eiou, scale = _EIoULossFunction.apply(
        pred.to(compute_dtype), target.to(compute_dtype), float(power), float(eps), sot_unit,
        float(sot_max))
    return loss.to(dtype), eiou, scale


def _check_boxes(pred: Tensor, target: Tensor) -> None:
    if pred.dim() != 2 or pred.size(-1) != 4 or pred.shape != target.shape:
        raise ValueError('pred and target must be aligned (N, 4) boxes, got shapes '
                         f'{tuple(pred.shape)} and {tuple(target.shape)}')
    if not (pred.is_floating_point() and target.is_floating_point()):
        raise TypeError(f'boxes must be floating point, got {pred.dtype} and {target.dtype}')
