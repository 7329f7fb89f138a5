"""Extended IoU (Eq. 10-22), its CT loss (Eq. 23) and SOT (Eq. 28) with an exact fused backward.

Pure torch: nothing here needs mmdet. Boxes are aligned ``(N, 4)`` pairs in ``(x1, y1, x2, y2)``.

The maths, per axis. With ``x0 = min(x1p, x1t)``, ``x1 = max(x1p, x1t)``, ``x2 = min(x2p, x2t)``
(Eq. 1-4, 10) write ``A = x2 - x0`` and ``C = x1 - x0``; then ``x_min - x0 = min(A, C)`` and
``x_max - x0 = max(A, C)`` (Eq. 12-15), and Eq. 16 reads

    I_e = A_x A_y + min(A, C)_x min(A, C)_y - C_x max(A, C)_y - max(A, C)_x C_y,

which is the overlap area when the boxes overlap (``A >= C`` on both axes, Eq. 17) and negative,
falling with the distance, when they do not (Eq. 18-20). ``U_e = S_t + S_p - I_e`` (Eq. 21) and
``EIoU = I_e / U_e`` (Eq. 22). The kernels work on coordinate rows (``boxes.t()``), one
``(N,)`` row per coordinate, each an element-wise op that a compiled kernel fuses.

Degenerate inputs get a defined, finite answer:

* ``U_e`` is floored at ``eps``; two zero-area boxes therefore have EIoU 0 (loss 1), as for
  mmdet's IoU losses. Where the floor acts the gradient is 0: two empty boxes have no IoU to
  follow, and the floored ratio's slope (a side over ``eps``, 1e6 for a 1 px side) would only
  overflow half precision.
* An *inverted* box (``x2 < x1`` or ``y2 < y1``) is read as an empty box whose corners still
  count as a separation: its area counts as zero, and the extended origin ``x0`` is taken over
  all four coordinates, ``min(x1p, x1t, x2p, x2t)`` (for proper boxes this is Eq. 10 unchanged).
  Its EIoU is then in ``[-1, 0]`` like a disjoint box's and its loss ``>= 1``; descent reopens
  it (tests/test_eiou_loss.py). The one exception has measure zero: a box inverted in both axes
  whose corners sit exactly on the target's can shrink to a zero-area box on the target's
  corner, a stationary point (as it is for every IoU loss).

* EIoU is in ``[-1, 1]``, but rounding can put it an ulp outside: a prediction a few ulps
  from its target gives ``1 + 2**-23`` in float32, where ``1 - EIoU < 0`` and
  ``(1 - EIoU) ** p`` is NaN for a fractional ``p`` and negative for an odd one. Every EIoU
  this module returns is therefore clamped to ``[-1, 1]`` (:func:`_unit_range`), so the loss
  is ``>= 0`` and finite at every power; the gradient is the exact one of the unclamped
  expression (at ``EIoU = 1`` the CT factor ``(1 - EIoU) ** (p - 1)`` is then 0 for
  ``p > 1``, as at the exact optimum). The table of what each kind of bad input gets is in
  :mod:`mmdet_eiou.models.losses.eiou_loss`.

``symmetric=True`` replaces Eq. 16 by its mean over the four corner origins, invariant to
flips (:mod:`.symmetric_eiou`); everything else (Eq. 21-28, the backward's structure) is shared.

The backward is the exact derivative of the expressions above (subgradients at ties), written out
in :func:`_loss_gradients`; Appendix A (Eq. 33-36) misses the ``x0`` dependence of the
``2(y1 - y2)`` term when the boxes are disjoint along the other axis, so it is not used.
"""
from typing import NamedTuple, Optional, Tuple, Union

import torch
from torch import Tensor

from .compile import FusedKernel
from .nonfinite import NonFiniteFlag, finite_vector, raise_if_nonfinite
from .precision import compute_dtype
from .symmetric_eiou import symmetric_axis, symmetric_axis_backward, symmetric_intersection


def _axis(p1: Tensor, p2: Tensor, t1: Tensor, t2: Tensor):
    """One axis of Eq. 1-4 and 10-15: ``(a0, a2, A, C)`` with ``a0 = min(p1, t1)`` (Eq. 10),
    ``a2 = min(p2, t2)`` (Eq. 3), ``A = a2 - origin`` and ``C = max(p1, t1) - origin``."""
    a0 = torch.minimum(p1, t1)
    a1 = torch.maximum(p1, t1)  # Eq. 1
    a2 = torch.minimum(p2, t2)
    origin = torch.minimum(a0, a2)  # == a0 unless a box is inverted (see module docstring)
    return a0, a2, a2 - origin, a1 - origin


class _Terms(NamedTuple):
    """What the forward computes and the backward needs again, from coordinate rows."""
    x: Tuple[Tensor, Tensor]  # per axis, I_e's terms: (A, C) of Eq. 12-15 (see _axis), or
    y: Tuple[Tensor, Tensor]  # (o, E) of the symmetric form (see symmetric_axis)
    wp: Tensor  # side lengths, clamped at 0 (an inverted box has area 0)
    hp: Tensor
    wt: Tensor
    ht: Tensor
    inter: Tensor  # I_e, Eq. 16
    union_raw: Tensor  # S_p + S_t - I_e, Eq. 21
    union: Tensor  # U_e floored at eps


def _terms(pred: Tensor, target: Tensor, eps: float, symmetric: bool) -> _Terms:
    """Eq. 1-21 on coordinate rows ``(4, N)``: the one place where the forward's per-axis
    intermediates are computed (the backward recomputes them here instead of saving them).
    ``symmetric``: the mean of Eq. 16 over the four corners (:mod:`.symmetric_eiou`)."""
    x1p, y1p, x2p, y2p = pred
    x1t, y1t, x2t, y2t = target
    if symmetric:
        x, y = symmetric_axis(x1p, x2p, x1t, x2t), symmetric_axis(y1p, y2p, y1t, y2t)
        inter = symmetric_intersection(*x, *y)
    else:
        x, y = _axis(x1p, x2p, x1t, x2t)[2:], _axis(y1p, y2p, y1t, y2t)[2:]
        (ax, cx), (ay, cy) = x, y
        # Eq. 16: I_e = A_x A_y + min(A, C)_x min(A, C)_y - C_x max(A, C)_y - max(A, C)_x C_y
        inter = (ax * ay + torch.minimum(ax, cx) * torch.minimum(ay, cy)
                 - cx * torch.maximum(ay, cy) - torch.maximum(ax, cx) * cy)
    wp, hp = (x2p - x1p).clamp(min=0), (y2p - y1p).clamp(min=0)
    wt, ht = (x2t - x1t).clamp(min=0), (y2t - y1t).clamp(min=0)
    union_raw = wp * hp + wt * ht - inter
    return _Terms(x, y, wp, hp, wt, ht, inter, union_raw, union_raw.clamp(min=eps))


def _unit_range(eiou: Tensor) -> Tensor:
    """``eiou`` clamped to ``[-1, 1]`` in value, its gradient passed through unchanged: the
    clamp only removes rounding (module docstring), which must not zero a gradient."""
    return eiou + (eiou.clamp(-1, 1) - eiou).detach()


def extended_intersection_union(pred: Tensor, target: Tensor, eps: float = 1e-6,
                                symmetric: bool = False) -> Tuple[Tensor, Tensor]:
    """Extended intersection ``I_e`` (Eq. 16) and extended union ``U_e`` (Eq. 21).

    Args:
        pred, target: aligned boxes ``(N, 4)`` as ``(x1, y1, x2, y2)``, finite.
        eps: floor of ``U_e``.
        symmetric: ``I_e`` is the mean of Eq. 16 over the four corner origins (and ``U_e``
            the mean of the four unions): invariant to flips (:mod:`.symmetric_eiou`).

    Returns:
        ``(I_e, U_e)``, each ``(N,)``, in float64 for float64 boxes and in float32 otherwise
        (they are areas: a 256 x 256 px box overflows float16). ``U_e >= eps > 0``.

    Raises:
        ValueError: boxes that are not aligned ``(N, 4)`` pairs, or not finite (one host
        synchronisation on a GPU).
    """
    terms = _checked_terms(pred, target, eps, symmetric)
    return terms.inter, terms.union


def _checked_terms(pred: Tensor, target: Tensor, eps: float, symmetric: bool) -> _Terms:
    """:func:`_terms` of ``(N, 4)`` boxes, checked, in the compute dtype."""
    check_boxes(pred, target)
    check_eps(eps)
    raise_if_nonfinite(finite_vector(pred, target))
    dtype = compute_dtype(pred.dtype)
    return _terms(pred.to(dtype).t(), target.to(dtype).t(), eps, symmetric)


def extended_iou(pred: Tensor, target: Tensor, eps: float = 1e-6,
                 symmetric: bool = False) -> Tensor:
    """EIoU of aligned box pairs (Eq. 22), differentiable by autograd, in the boxes' dtype
    (computed in float32 for half precision, see :func:`extended_intersection_union`).

    Equals ``bbox_overlaps(pred, target, is_aligned=True)`` when the boxes overlap, is 0 when
    they touch, and is negative and decreasing with the distance when they are apart.
    Symmetric in its arguments. Range ``[-1, 1]`` (rounding clamped, see the module
    docstring). ``symmetric=True``: the flip-invariant form
    (:func:`extended_intersection_union`); the paper's (the default) is not.
    """
    t = _checked_terms(pred, target, eps, symmetric)
    # under the union's floor, no gradient (as the loss's, module docstring)
    inter = torch.where(t.union_raw > eps, t.inter, t.inter.detach())
    return _unit_range(inter / t.union).to(pred.dtype)


def sot_scale(union: Tensor, unit_area: Tensor, max_scale: float, eps: float = 1e-6) -> Tensor:
    """Per-box SOT factor ``g`` of Eq. 28: the extended union in regression units, in (0, M].

    ``unit_area`` is the area of each box's unit of regression: the prior's area for a
    detector (Sec. IV / Algorithm 2 regress corners normalised by ``sqrt(S_anchor)``, so the
    union in those units is ``U_e / S_anchor``), 1 for boxes optimised as they are (Fig. 5).
    Theorem 1 needs ``0 < g <= M``: ``g`` is clamped to ``[eps, max_scale]``, and a unit's
    area to ``>= eps`` (a degenerate prior; a negative area, from an inverted one, counts as 0),
    which gives ``min(U_e / eps, M)``.

    Raises:
        ValueError: a non-finite ``union`` or ``unit_area`` (one host synchronisation on a GPU).
    """
    for name, value in (('union', union), ('unit_area', unit_area)):
        if not bool(torch.isfinite(value).all()):
            raise ValueError(f'sot_scale: {name} must be finite, got {value}')
    return _sot_scale(union, unit_area, max_scale, eps)


def _sot_scale(union: Tensor, unit_area: Tensor, max_scale: float, eps: float) -> Tensor:
    """:func:`sot_scale` without its check (the loss checks its inputs once, on the device)."""
    return (union / unit_area.clamp(min=eps)).clamp(min=eps, max=max_scale)


def _loss_and_gradients(pred: Tensor, target: Tensor, sot_area: Optional[Tensor],
                        weight: Optional[Tensor], reduce: bool, multiplier: float, power: float,
                        power_minus_one: float, eps: float, sot: bool, sot_max: float,
                        symmetric: bool, need_pred: bool, need_target: bool):
    """The loss (Eq. 23): per box, times ``weight`` when given, summed when ``reduce``, times
    ``multiplier`` (a loss weight, a mean's ``1 / N``); the per-box loss of Eq. 23 alone;
    EIoU (Eq. 22); the SOT factor (Eq. 28, or ``None``); ``finite`` (whether the boxes,
    ``sot_area`` and ``weight`` are, :func:`~.nonfinite.finite_vector`) and the derivative of
    each box's share of the loss w.r.t. its predicted and its target box, ``(N, 4)`` each
    (``None`` where not needed; times the SOT factor), from ``(N, 4)`` boxes.
    ``power_minus_one`` is ``power - 1``, given rather than computed here: torch 2.13's
    compiler, with ``power`` a dynamic float, miscompiles ``x.pow(power - 1)`` for other
    powers once it has compiled it at ``power`` 1 or 2 (measured).

    Box ``i``'s loss depends on pair ``i`` alone, so the Jacobian is one ``(1, 4)`` row per
    box: computed here, in the forward's fused loop from the terms it already has, it leaves
    the backward a single multiply by the incoming gradient (measured: the second compiled
    call a backward made was ~56 of ~400 us at N = 1e2, see :class:`_EIoULossFunction`)."""
    # contiguous coordinate rows: compiled, the loop over the (N, 4) boxes vectorises only on
    # them (on the strided pred.t() a loss call took 1.9x longer at N = 1e5, measured)
    rows_p, rows_t = torch.stack(pred.unbind(1)), torch.stack(target.unbind(1))
    t = _terms(rows_p, rows_t, eps, symmetric)
    eiou = (t.inter / t.union).clamp(-1, 1)  # rounding only (module docstring): 1 - eiou >= 0
    per_box = (1 - eiou).pow(power)
    scale = None
    if sot:  # the union in prior units, or in target units when no prior is known
        scale = _sot_scale(t.union, t.wt * t.ht if sot_area is None else sot_area, sot_max,
                           eps)
    finite = finite_vector(pred, target, sot_area, weight)
    loss = per_box if weight is None else per_box * weight
    loss = (loss.sum() if reduce else loss) * multiplier
    # each box's gradient's factor: the multiplier, times SOT's (the gradient, not the loss,
    # Eq. 28) and the weight
    factor = multiplier if scale is None else scale * multiplier
    if weight is not None:
        factor = factor * weight
    grad_pred = grad_target = None
    if need_pred or need_target:
        grad_pred, grad_target = _loss_gradients(t, eiou, rows_p, rows_t, factor, power,
                                                 power_minus_one, eps, need_pred,
                                                 need_target, symmetric)
    return loss, per_box, eiou, scale, finite, grad_pred, grad_target


def _inter_axis_backward(g_inter: Tensor, p1: Tensor, p2: Tensor, t1: Tensor, t2: Tensor,
                         partner_a: Tensor, partner_c: Tensor
                         ) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
    """Gradients of Eq. 16's ``I_e`` w.r.t. one axis' ``(p1, p2, t1, t2)`` given ``dL/dI_e``
    and the partner axis' ``(A, C)``."""
    a0, a2, a, c = _axis(p1, p2, t1, t2)
    # Eq. 16: I = A A' + min(A, C) min(A', C') - C max(A', C') - max(A, C) C'
    g_min = g_inter * torch.minimum(partner_a, partner_c)
    g_max = -g_inter * partner_c
    a_is_min = a <= c
    g_a = g_inter * partner_a + torch.where(a_is_min, g_min, g_max)
    g_c = -g_inter * torch.maximum(partner_a, partner_c) + torch.where(a_is_min, g_max, g_min)
    # A = a2 - origin, C = a1 - origin, origin = min(a0, a2)
    g_origin = -(g_a + g_c)
    origin_is_a0 = a0 <= a2
    g_a0 = torch.where(origin_is_a0, g_origin, 0.)
    g_a2 = g_a + torch.where(origin_is_a0, 0., g_origin)
    p1_is_low = p1 <= t1  # a0 = min(p1, t1) takes p1 and a1 = max(p1, t1) takes t1
    p2_is_low = p2 <= t2  # a2 = min(p2, t2) takes p2
    return (torch.where(p1_is_low, g_a0, g_c), torch.where(p2_is_low, g_a2, 0.),
            torch.where(p1_is_low, g_c, g_a0), torch.where(p2_is_low, 0., g_a2))


def _axis_backward(g_inter: Tensor, g_area: Tensor, p1: Tensor, p2: Tensor, t1: Tensor,
                   t2: Tensor, partner: Tuple[Tensor, Tensor], partner_len_p: Tensor,
                   partner_len_t: Tensor, need_pred: bool, need_target: bool, symmetric: bool):
    """Gradients w.r.t. one axis' coordinates ``(p1, p2, t1, t2)`` (``None`` where not needed)
    of the extended intersection and of the areas, given ``dL/dI``, ``dL/dS`` and the partner
    axis' terms of the intersection (:attr:`_Terms.x`)."""
    inter_backward = symmetric_axis_backward if symmetric else _inter_axis_backward
    g_p1, g_p2, g_t1, g_t2 = inter_backward(g_inter, p1, p2, t1, t2, *partner)
    if need_pred:  # S_p = relu(x2 - x1) relu(y2 - y1)
        g_len = torch.where(p2 > p1, g_area * partner_len_p, 0.)
        g_p1, g_p2 = g_p1 - g_len, g_p2 + g_len
    if need_target:
        g_len = torch.where(t2 > t1, g_area * partner_len_t, 0.)
        g_t1, g_t2 = g_t1 - g_len, g_t2 + g_len
    return ((g_p1, g_p2) if need_pred else (None, None)) + (
        (g_t1, g_t2) if need_target else (None, None))


def _loss_gradients(t: _Terms, eiou: Tensor, pred: Tensor, target: Tensor,
                    factor: Union[Tensor, float], power: float, power_minus_one: float,
                    eps: float, need_pred: bool, need_target: bool, symmetric: bool):
    """The exact derivative of each box's loss (:func:`_loss_and_gradients`) w.r.t. its boxes,
    whose coordinate rows are ``pred`` and ``target`` and whose terms are ``t``: ``(N, 4)``
    each (or ``None``), times ``factor`` (one number, or one per box)."""
    # dL/dEIoU (Eq. 24, any power), then EIoU = I / (S_t + S_p - I) (Eq. 21-22).
    g_eiou = (-power) * (1 - eiou).pow(power_minus_one)
    # a union under its floor has no IoU to follow (two empty boxes): the floored ratio's
    # slope, side / eps, is no direction, and overflows float16 (module docstring)
    g_eiou = torch.where(t.union_raw > eps, g_eiou, 0.) * factor
    g_union = -g_eiou * eiou / t.union  # dE/dU = -I/U^2
    g_inter = g_eiou / t.union - g_union  # dE/dI directly, plus through U = ... - I
    x1p, y1p, x2p, y2p = pred
    x1t, y1t, x2t, y2t = target
    gx1p, gx2p, gx1t, gx2t = _axis_backward(g_inter, g_union, x1p, x2p, x1t, x2t, t.y, t.hp,
                                            t.ht, need_pred, need_target, symmetric)
    gy1p, gy2p, gy1t, gy2t = _axis_backward(g_inter, g_union, y1p, y2p, y1t, y2t, t.x, t.wp,
                                            t.wt, need_pred, need_target, symmetric)
    # (N, 4) boxes again: the fused loop writes them interleaved at no extra cost
    grad_pred = torch.stack([gx1p, gy1p, gx2p, gy2p], dim=1) if need_pred else None
    grad_target = torch.stack([gx1t, gy1t, gx2t, gy2t], dim=1) if need_target else None
    return grad_pred, grad_target


# Compiled or eager, as mmdet_eiou.ops.compile says (see there).
_kernel = FusedKernel(_loss_and_gradients)


class _EIoULossFunction(torch.autograd.Function):
    """``(1 - EIoU) ** power`` per box with the exact analytic backward, optionally SOT-scaled,
    optionally times a per-box ``weight``, summed (``reduce``) and times a ``multiplier``.

    One fused kernel computes the loss, weighted and reduced, and each box's own derivative
    (the loss is per box: its Jacobian is one ``(1, 4)`` row per box); those rows are what is
    saved, and the backward multiplies them by the incoming gradient. At small N a call is
    the number of dispatches, not arithmetic: this is one compiled call per loss call, where
    a separate backward, weighting, reduction and check would each be more
    (``tools/benchmark_losses.py``; docs/results.md, section 1). Only the boxes that need a
    gradient keep ``(N, 4)`` alive in between. A ``weight`` that requires a gradient gets
    it: its row's loss.
    """

    @staticmethod
    def forward(ctx, pred: Tensor, target: Tensor, sot_area: Optional[Tensor],
                weight: Optional[Tensor], reduce: bool, multiplier: float, power: float,
                eps: float, sot: bool, sot_max: float, symmetric: bool, need_pred: bool,
                need_target: bool):
        loss, per_box, eiou, scale, finite, grad_pred, grad_target = _kernel(
            pred, target, sot_area, weight, reduce, multiplier, power, power - 1, eps, sot,
            sot_max, symmetric, need_pred, need_target)
        ctx.multiplier = multiplier
        ctx.save_for_backward(grad_pred, grad_target,
                              per_box if ctx.needs_input_grad[3] else None)
        ctx.mark_non_differentiable(eiou, finite)
        if scale is not None:
            ctx.mark_non_differentiable(scale)
        return loss, eiou, scale, finite

    @staticmethod
    def backward(ctx, grad_loss: Tensor, _grad_eiou, _grad_scale, _grad_finite):
        grad_pred, grad_target, per_box = ctx.saved_tensors
        grad_weight = None if per_box is None else grad_loss * per_box * ctx.multiplier
        if grad_loss.dim():  # per box: one factor per row; reduced: a scalar
            grad_loss = grad_loss[:, None]
        return (None if grad_pred is None else grad_loss * grad_pred,
                None if grad_target is None else grad_loss * grad_target,
                None, grad_weight) + (None, ) * 9


def eiou_loss(pred: Tensor,
              target: Tensor,
              power: float = 2.0,
              eps: float = 1e-6,
              sot: bool = False,
              sot_area: Optional[Tensor] = None,
              sot_max: float = 10.0,
              nonfinite: Optional[NonFiniteFlag] = None,
              symmetric: bool = False,
              return_terms: bool = False,
              reduction: str = 'none'
              ) -> Union[Tensor, Tuple[Tensor, Tensor, Optional[Tensor]]]:
    """Smooth-EIoU loss ``(1 - EIoU) ** power`` per box (Eq. 23; CT when ``power > 1``), as
    mmdet's ``giou_loss`` and torchvision's ``generalized_box_iou_loss``.

    Args:
        pred, target: aligned boxes ``(N, 4)`` as ``(x1, y1, x2, y2)``, any float dtype.
        power: CT exponent ``p``; 2 is Eq. 23, 1 is "EIoU without CT", any ``p >= 1`` works
            (footnote 2 asks for ``p > 1`` so that the gradient vanishes at the minimum).
        eps: floor of the extended union.
        sot: apply SOT (Eq. 28): the backward multiplies each box's gradient by its factor
            :func:`sot_scale`; the loss value is unchanged.
        sot_area: ``(N,)`` area of each box's regression unit for SOT: the prior's (anchor or
            proposal) area in a detector, ones for boxes optimised as they are. ``None``: the
            target's area, which for a positive sample is within a bounded factor of its
            prior's (for heads that do not pass their priors). An area ``<= eps`` counts as
            ``eps`` (the factor is then ``min(U_e / eps, sot_max)``, :func:`sot_scale`).
        sot_max: ``M`` of Theorem 1, the upper bound of the SOT factor.
        nonfinite: where non-finite boxes or ``sot_area`` are reported. ``None``: a
            ``ValueError`` naming the argument, in this call (one host synchronisation on a
            GPU). A :class:`~.nonfinite.NonFiniteFlag`: recorded in it on the device (no
            synchronisation); its ``raise_if_set()`` raises the same error, and must be called
            (e.g. once per training iteration).
        symmetric: the flip-invariant EIoU (:func:`extended_iou`), not the paper's.
        return_terms: also return what the kernel computed on the way, see below.
        reduction: ``'none'`` (the per-box loss), ``'mean'`` (0 for no box) or ``'sum'``, as
            torchvision's; reduced in the kernel's call, cheaper than reducing its result.

    Returns:
        The per-box loss ``(N,)``, ``>= 0``, in the input dtype (computed in float64 for
        float64 input, in float32 otherwise: areas overflow float16); reduced, a scalar in
        the compute dtype (a sum of half-precision losses overflows). With ``return_terms``,
        ``(loss, eiou, scale)``: also the per-box EIoU ``(N,)`` in ``[-1, 1]`` (detached,
        what :func:`extended_iou` gives) and the SOT factors ``(N,)`` (``None`` without SOT,
        what :func:`sot_scale` gives), at no extra cost.
    """
    if reduction not in ('none', 'mean', 'sum'):
        raise ValueError(f'reduction must be none, mean or sum, got {reduction!r}')
    loss, eiou, scale, finite = eiou_loss_in_compute_dtype(
        pred, target, power, eps, sot, sot_area, sot_max, symmetric, reduce=reduction != 'none',
        multiplier=1 / pred.size(0) if reduction == 'mean' and pred.size(0) > 1 else 1.)
    if nonfinite is None:
        raise_if_nonfinite(finite)
    else:
        nonfinite.record(finite)
    if reduction == 'none':
        loss = loss.to(pred.dtype)
    return (loss, eiou, scale) if return_terms else loss


def eiou_loss_in_compute_dtype(pred: Tensor, target: Tensor, power: float, eps: float,
                               sot: bool, sot_area: Optional[Tensor], sot_max: float,
                               symmetric: bool = False, weight: Optional[Tensor] = None,
                               reduce: bool = False, multiplier: float = 1.
                               ) -> Tuple[Tensor, Tensor, Optional[Tensor], Tensor]:
    """:func:`eiou_loss` (the same arguments, all but ``nonfinite`` given, and the same
    checks) with the loss left in the compute dtype: float32 for half input, so that a sum
    over many boxes (``EIoULoss``'s reduction) cannot overflow; times ``weight`` ``(N,)``
    when given, summed when ``reduce``, times ``multiplier``. Non-finite input is not raised
    but returned, as the 4th output, a :func:`~.nonfinite.finite_vector` for the caller to
    read or record."""
    check_boxes(pred, target)
    check_loss_args(power, sot_max, eps)
    if sot_area is not None and sot_area.shape != pred.shape[:1]:
        raise ValueError(f'sot_area must be (N,) = ({pred.size(0)},), got '
                         f'{tuple(sot_area.shape)}')
    dtype = compute_dtype(pred.dtype)
    grad = torch.is_grad_enabled()  # no gradient is computed for boxes that need none
    return _EIoULossFunction.apply(
        pred.to(dtype), target.to(dtype), None if sot_area is None else sot_area.to(dtype),
        None if weight is None else weight.to(dtype), bool(reduce), float(multiplier),
        float(power), float(eps), bool(sot), float(sot_max), bool(symmetric),
        grad and pred.requires_grad, grad and target.requires_grad)


def check_loss_args(power: float, sot_max: float, eps: float = 1e-6) -> None:
    """The loss's hyper-parameters: ``1 <= power < inf``, ``0 < M < inf``, ``eps > 0``."""
    if not 1 <= power < float('inf'):
        raise ValueError('power must be finite and >= 1 (CT needs p > 1, p = 1 is plain EIoU), '
                         f'got {power}')
    if not 0 < sot_max < float('inf'):
        raise ValueError(f'sot_max (M of Theorem 1) must be finite and > 0, got {sot_max}')
    check_eps(eps)


def check_eps(eps: float) -> None:
    """The floor of the extended union: ``eps > 0`` (0 gives 0 / 0 for two empty boxes)."""
    if not 0 < eps < float('inf'):
        raise ValueError(f'eps (the floor of the extended union) must be > 0, got {eps}')


def check_boxes(pred: Tensor, target: Tensor) -> None:
    """Aligned floating-point ``(N, 4)`` boxes, or a clear error."""
    if pred.dim() != 2 or pred.size(-1) != 4 or pred.shape != target.shape:
        raise ValueError('pred and target must be aligned (N, 4) boxes, got shapes '
                         f'{tuple(pred.shape)} and {tuple(target.shape)} (an mmdet head that '
                         'regresses deltas needs reg_decoded_bbox=True)')
    if not (pred.is_floating_point() and target.is_floating_point()):
        raise TypeError(f'boxes must be floating point, got {pred.dtype} and {target.dtype}')
