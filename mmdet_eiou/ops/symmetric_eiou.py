"""The flip-symmetric extended intersection: the mean of Eq. 16 over the four corner origins.

Eq. 10-16 measure the extended intersection from the top-left corner (``x0 = min(x1p, x1t)``),
so on disjoint pairs the paper's EIoU changes when both boxes are flipped: target
``(0, 0, 10, 10)`` and prediction ``(5, 20, 10, 30)`` give -0.5, flipped horizontally -0.25.
Measured from the other three corners (flip, Eq. 16, flip back), the same pair gives other
values. This module is their mean.

Per axis of proper boxes (``p1 <= p2``, ``t1 <= t2``) write the signed overlap
``o = min(p2, t2) - max(p1, t1)`` (negative: the gap) and the extent of both boxes
``E = max(p2, t2) - min(p1, t1)``. Eq. 16's ``A`` and ``C`` from the low corner are
``C = |p1 - t1|`` and ``A = C + o``; from the high corner ``C = |p2 - t2|`` and again
``A = C + o``. With ``o+ = max(o, 0)`` and ``o- = min(o, 0)``, ``min(A, C) = C + o-``
and ``max(A, C) = C + o+``, so Eq. 16 expands to

    I_e = o_x o_y + o-_x o-_y + 2 C_x o-_y + 2 C_y o-_x,

affine in ``C_x`` and in ``C_y`` separately: the mean over the four corners is this with each
``C`` replaced by its mean ``(|p1 - t1| + |p2 - t2|) / 2 = (E - o) / 2``, which is

    I_s = o+_x o+_y + o-_x E_y + o-_y E_x:

the overlap area when the boxes overlap; otherwise minus, for each axis with a gap, the gap
times the extent of both boxes along the other axis. ``U_s = S_p + S_t - I_s`` is then also the
mean of the four extended unions (Eq. 21, affine in ``I_e``), and ``EIoU_s = I_s / U_s``.

Why the mean of the extended intersections (over the matching union) rather than the mean of
the four EIoUs: it is one closed form of Eq. 16-22's shape (the same union, range and
equality with IoU), its backward is as small as the paper's, and it is exactly the mean of the
four corners' ``I_e`` and ``U_e``; a mean of four ratios has no such form. Invariant under
horizontal and vertical flips (they swap the corners) and under swapping prediction and target
(``o`` and ``E`` are symmetric), negative when the boxes are apart and falling with the gap
(``-g E / (S + g E)`` for a gap ``g`` along one axis), in ``[-1, 1]``.

An inverted box (``x2 < x1``) has ``o < 0`` on that axis; ``E`` is taken over all four
coordinates, ``max(p1, p2, t1, t2) - min(p1, p2, t1, t2) >= 0`` (for proper boxes the
definition above), so ``I_s <= 0`` and its EIoU is in ``[-1, 0]``, as in :mod:`.eiou`.
"""
from typing import Tuple

import torch
from torch import Tensor


def symmetric_axis(p1: Tensor, p2: Tensor, t1: Tensor, t2: Tensor) -> Tuple[Tensor, Tensor]:
    """One axis' ``(o, E)``: the signed overlap and the extent of both intervals."""
    overlap = torch.minimum(p2, t2) - torch.maximum(p1, t1)
    extent = (torch.maximum(torch.maximum(p2, t2), torch.maximum(p1, t1))
              - torch.minimum(torch.minimum(p1, t1), torch.minimum(p2, t2)))
    return overlap, extent


def symmetric_intersection(ox: Tensor, ex: Tensor, oy: Tensor, ey: Tensor) -> Tensor:
    """``I_s = o+_x o+_y + o-_x E_y + o-_y E_x``, the mean of Eq. 16 over the four corners."""
    return (ox.clamp(min=0) * oy.clamp(min=0) + ox.clamp(max=0) * ey
            + oy.clamp(max=0) * ex)


def symmetric_axis_backward(g_inter: Tensor, p1: Tensor, p2: Tensor, t1: Tensor, t2: Tensor,
                            partner_o: Tensor, partner_e: Tensor
                            ) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
    """Gradients of ``I_s`` w.r.t. one axis' ``(p1, p2, t1, t2)`` given ``dL/dI_s`` and the
    partner axis' ``(o, E)`` (subgradients at ties, as autograd's at ``o = 0``)."""
    overlap, _ = symmetric_axis(p1, p2, t1, t2)
    g_overlap = g_inter * torch.where(overlap > 0, partner_o.clamp(min=0), partner_e)
    g_extent = g_inter * partner_o.clamp(max=0)
    # E = max(hi2, hi1) - min(lo1, lo2) with hi/lo the max/min of (p1, t1) and of (p2, t2)
    hi_is_2 = torch.maximum(p2, t2) >= torch.maximum(p1, t1)
    lo_is_1 = torch.minimum(p1, t1) <= torch.minimum(p2, t2)
    g_hi1 = torch.where(hi_is_2, 0., g_extent) - g_overlap  # o = lo2 - hi1
    g_hi2 = torch.where(hi_is_2, g_extent, 0.)
    g_lo1 = torch.where(lo_is_1, -g_extent, 0.)
    g_lo2 = torch.where(lo_is_1, 0., -g_extent) + g_overlap
    p1_is_low = p1 <= t1  # lo1 takes p1, hi1 takes t1
    p2_is_low = p2 <= t2
    return (torch.where(p1_is_low, g_lo1, g_hi1), torch.where(p2_is_low, g_lo2, g_hi2),
            torch.where(p1_is_low, g_hi1, g_lo1), torch.where(p2_is_low, g_hi2, g_lo2))
