"""The EIoU loss's check for non-finite boxes: raised in the call, or deferred to a flag.

A box with an inf/nan coordinate has no EIoU; left alone it turns the gradient and then every
weight into NaN, so the loss refuses it. Its forward kernel reduces the boxes to two booleans
on their device, ``finite = (all predicted finite, all targets finite)``; reading them on the
host is a synchronisation with the GPU. There are two ways to read them:

* now, in the loss call (:func:`raise_if_nonfinite`): one host synchronisation per call on a
  GPU (none to speak of on the CPU);
* later, once per training iteration (:class:`NonFiniteFlag`): each call only ANDs its two
  booleans into the flag on the device, and :meth:`NonFiniteFlag.raise_if_set` raises the same
  error. ``mmdet_eiou.EIoUStatsHook`` (and ``SOTHook``) read the flags of every
  ``mmdet_eiou.EIoULoss`` after each training iteration.

Either way the error is the same ``ValueError``.
"""
from typing import Optional

from torch import Tensor


def nonfinite_box_error(predicted: bool) -> ValueError:
    """The error for non-finite ``predicted`` boxes (else target boxes)."""
    which = 'predicted' if predicted else 'target'
    return ValueError(f'non-finite {which} boxes (inf/nan) reached the EIoU loss: the '
                      'regression has diverged (lower the learning rate, check the box '
                      "coder's clamp) or the annotations are broken")


def raise_if_nonfinite(finite: Tensor) -> None:
    """Raise :func:`nonfinite_box_error` unless both of ``finite``'s booleans (predicted,
    target) are true: one host synchronisation on a GPU."""
    predicted_finite, target_finite = finite.tolist()
    if not (predicted_finite and target_finite):
        raise nonfinite_box_error(predicted=not predicted_finite)


class NonFiniteFlag:
    """Whether any box recorded since the last read was non-finite, kept on the boxes' device.

    :meth:`record` costs one element-wise AND of two booleans and no host synchronisation;
    :meth:`raise_if_set` reads the flag (one synchronisation), clears it, and raises the
    loss's usual error if a non-finite box was recorded.
    """

    def __init__(self) -> None:
        self._finite: Optional[Tensor] = None  # (2,) bool: all predicted, all targets finite

    def record(self, finite: Tensor) -> None:
        """Add one call's ``finite`` (from the loss's forward kernel)."""
        self._finite = finite if self._finite is None else self._finite & finite

    def raise_if_set(self) -> None:
        """Raise if a recorded box was non-finite; either way start again from clear."""
        finite, self._finite = self._finite, None
        if finite is not None:
            raise_if_nonfinite(finite)
