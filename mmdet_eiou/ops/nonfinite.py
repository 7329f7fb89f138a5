"""The EIoU loss's check for non-finite inputs: raised in the call, or deferred to a flag.

A box with an inf/nan coordinate has no EIoU; left alone it turns the gradient and then every
weight into NaN, so the loss refuses it, and so it refuses a non-finite prior (SOT's unit) or
weight, which would do the same through the gradient's scale or the reduction. A finite
coordinate beyond :func:`coordinate_limit` (1.2e18 in float32) is refused with them: its areas
would overflow the compute dtype and give the same NaN. The checks reduce each argument to
one boolean on its device, in the order of :data:`CHECKED`, into a ``finite`` vector; reading
it on the host is a synchronisation with the GPU. There are two ways to read it:

* now, in the loss call (:func:`raise_if_nonfinite`): one host synchronisation per call on a
  GPU (none to speak of on the CPU);
* later, once per training iteration (:class:`NonFiniteFlag`): each call only ANDs its
  booleans into the flag on the device, and :meth:`NonFiniteFlag.raise_if_set` raises the same
  error. ``mmdet_eiou.EIoUStatsHook`` (and ``SOTHook``) read the flags of every
  ``mmdet_eiou.EIoULoss`` after each training iteration.

Either way the error is the same ``ValueError``, naming the argument.
"""
import warnings
from typing import Optional

import torch
from torch import Tensor

from .precision import compute_dtype

#: What each entry of a ``finite`` vector says is finite, and how the error names it.
CHECKED = ('predicted boxes', 'target boxes', 'priors (sot_area, the SOT unit)', 'weight')

_ADVICE = {
    'predicted boxes': 'the regression has diverged (lower the learning rate, check the box '
                       "coder's clamp)",
    'target boxes': 'the annotations or the target encoding are broken',
    'priors (sot_area, the SOT unit)': 'the head passed broken anchors, proposals or '
                                       'reference boxes',
    'weight': 'the head computed a broken box weight',
}


def nonfinite_error(what: str) -> ValueError:
    """The error for a non-finite argument, ``what`` one of :data:`CHECKED`."""
    beyond = (f', or a coordinate beyond {coordinate_limit(torch.float32):.1e} '
              f'({coordinate_limit(torch.float64):.1e} in float64), where areas overflow'
              if what.endswith('boxes') else '')
    return ValueError(f'non-finite {what} (inf/nan{beyond}) reached the EIoU loss: '
                      f'{_ADVICE[what]}')


def coordinate_limit(dtype: torch.dtype) -> float:
    """The largest box coordinate the EIoU maths takes in ``dtype``'s compute dtype (float64
    for float64, float32 otherwise): Eq. 16 and 21 add four products of two coordinate
    differences, each up to ``(2 * limit) ** 2``; a sixteenth of the square root of the
    dtype's maximum leaves them 16 times below overflow."""
    return torch.finfo(compute_dtype(dtype)).max ** 0.5 / 16


NOT_BOXES = ('mmdet_eiou: the EIoU loss received target "boxes" with x2 < x1 or y2 < y1, '
             'which ground-truth boxes never are: these are evidently box deltas. A head that '
             'regresses deltas needs reg_decoded_bbox=True for an IoU loss (else it trains on '
             'offsets, not boxes); otherwise the targets are broken. (Said once per process.)')
_said_not_boxes = False


def finite_vector(pred: Tensor, target: Tensor, sot_area: Optional[Tensor] = None,
                  weight: Optional[Tensor] = None) -> Tensor:
    """``(5,)`` bool on the boxes' device: whether each argument of :data:`CHECKED` is
    finite (``True`` for one not given; boxes within :func:`coordinate_limit`, which a NaN
    fails too), then whether every target box is proper (``x2 >= x1`` and ``y2 >= y1``: not
    so, they are deltas, :data:`NOT_BOXES`). No host synchronisation."""
    ones = torch.ones((), dtype=torch.bool, device=pred.device)
    # compared in the boxes' dtype: float16's range ends below the limit (inf <= limit there)
    limit = min(coordinate_limit(pred.dtype), torch.finfo(pred.dtype).max)
    return torch.stack([
        (pred.detach().abs() <= limit).all(), (target.detach().abs() <= limit).all(),
        ones if sot_area is None else torch.isfinite(sot_area).all(),
        ones if weight is None else torch.isfinite(weight).all(),
        ((target[:, 2] >= target[:, 0]) & (target[:, 3] >= target[:, 1])).all()])


def raise_if_nonfinite(finite: Tensor) -> None:
    """Raise :func:`nonfinite_error` for the first argument that ``finite`` (a
    :func:`finite_vector`) says is not finite, and warn once per process when the targets are
    evidently not boxes: one host synchronisation on a GPU."""
    global _said_not_boxes
    *finite_args, targets_are_boxes = finite.tolist()
    for what, ok in zip(CHECKED, finite_args):
        if not ok:
            raise nonfinite_error(what)
    if not targets_are_boxes and not _said_not_boxes:
        _said_not_boxes = True
        warnings.warn(NOT_BOXES, stacklevel=3)


class NonFiniteFlag:
    """Whether any input recorded since the last read was non-finite, kept on its device.

    :meth:`record` costs one element-wise AND of five booleans and no host synchronisation;
    :meth:`raise_if_set` reads the flag (one synchronisation), clears it, and raises the
    loss's usual error if a non-finite input was recorded.
    """

    def __init__(self) -> None:
        self._finite: Optional[Tensor] = None  # (5,) bool, as finite_vector

    def record(self, finite: Tensor) -> None:
        """Add one call's ``finite`` vector."""
        self._finite = finite if self._finite is None else self._finite & finite

    def raise_if_set(self) -> None:
        """Raise if a recorded input was non-finite; either way start again from clear."""
        finite, self._finite = self._finite, None
        if finite is not None:
            raise_if_nonfinite(finite)
