"""``mmdet_eiou.EIoULoss``: the paper's Smooth-EIoU loss as an mmdet box loss."""
from typing import Dict, Optional, Tuple, Union

import torch
import torch.nn as nn
from torch import Tensor

from mmdet_eiou.ops.eiou import check_boxes, check_loss_args, eiou_loss_in_compute_dtype
from mmdet_eiou.ops.nonfinite import NonFiniteFlag, finite_vector, raise_if_nonfinite
from mmdet_eiou.ops.precision import compute_dtype
from mmdet_eiou.registry import MODELS


@MODELS.register_module()
class EIoULoss(nn.Module):
    r"""Smooth-EIoU loss of `A Systematic IoU-Related Method: Beyond Simplified Regression for
    Better Localization <https://ieeexplore.ieee.org/document/9429909>`_ (Peng & Yu, TIP 2021).

    Per box ``loss_weight * (1 - EIoU) ** power`` with EIoU of Eq. 10-22 and the
    convexification technique (CT) of Eq. 23. With ``sot=True`` the gradient of each box is
    multiplied by its extended union in the units of its prior (SOT, Eq. 28; see
    :func:`~mmdet_eiou.ops.sot_scale`); the value is unchanged. Our heads pass their priors
    (anchors, proposals; ``PriorsToLossDINOHead`` its decoder layers' reference boxes) as
    ``priors``; without them the target's area is the unit.
    :func:`set_sot` switches ``sot`` of every instance in a model
    (:class:`~mmdet_eiou.engine.SOTHook` switches those it found before training).

    In training mode, once something reads them, the loss also accumulates, without a host
    synchronisation, what it saw: the fraction of positive pairs that do not overlap
    (``EIoU <= 0``, where EIoU differs from IoU) and the mean SOT factor; :meth:`pop_stats`
    returns and resets them (:class:`~mmdet_eiou.engine.EIoUStatsHook` logs them each
    iteration). Without a reader it counts nothing, as mmdet's losses.

    This is ``mmdet_eiou.EIoULoss``; mmdet's own ``EIoULoss`` (a Huber-smoothed variant without
    CT or SOT) stays what ``type='EIoULoss'`` builds in scope ``mmdet``.

    Args:
        power (float): CT exponent ``p >= 1``; 2 is Eq. 23, 1 is "EIoU without CT".
        sot (bool): apply SOT to the gradient.
        sot_max (float): ``M`` of Theorem 1, upper bound of the SOT factor.
        eps (float): floor of the extended union.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``.
        loss_weight (float): weight of the loss.
        zero_weight_rows (str): how boxes with zero weight are left out, with the same values
            (to the order of a sum) and gradients either way (tests/test_eiou_loss.py):
            ``'mask'`` computes every row with the weight multiplied in, in the fused kernel
            (no host synchronisation, fixed shapes; the faster on the CPU too, at every N
            measured, docs/results.md section 1); ``'select'`` computes only the rows with a
            non-zero weight (one host synchronisation to find them; less memory kept for the
            backward when most rows have none, as a dense head's anchors); ``'auto'``:
            ``'mask'``.
        nonfinite_check (str): when a non-finite input raises its ``ValueError``
            (:mod:`mmdet_eiou.ops.nonfinite`): ``'immediate'``, in the call (one host
            synchronisation per call on a GPU); ``'deferred'``, when :meth:`raise_if_nonfinite`
            is called (none in the call; :class:`~mmdet_eiou.engine.EIoUStatsHook` calls it
            after every training iteration); ``'auto'``, deferred on CUDA in training when an
            ``EIoUStatsHook`` (or ``SOTHook``) reads it, immediate otherwise: on the CPU, in
            evaluation and without the hook nothing changes. A deferred check never goes
            unread: until something reads it (the hook, or a first call of
            :meth:`raise_if_nonfinite`), ``'deferred'`` checks in the call.
        symmetric (bool): the flip-invariant EIoU (the mean of Eq. 16 over the four corner
            origins, :mod:`mmdet_eiou.ops.symmetric_eiou`) instead of the paper's, which
            measures disjoint pairs from the top-left corner. Defaults to False (the paper's).

    What each kind of input gets (tests/test_numerics_fuzz.py checks every row in float64,
    float32, bfloat16 and float16, at powers 1-4):

    ==========================================  ============================================
    input                                       result
    ==========================================  ============================================
    prediction equal to its target, or a few    EIoU 1, loss 0, gradient 0 for ``p > 1``
    ulps away (EIoU rounds above 1)             (EIoU is clamped to ``[-1, 1]``; the
                                                gradient is exact wherever EIoU < 1)
    boxes apart, touching, or one inside the    Eq. 16-22 exactly; loss in ``[0, 2**p]``
    other
    zero width or height (a line, a point)      area 0; two empty boxes: EIoU 0, loss 1
                                                and gradient 0 (no IoU, no direction)
    inverted (``x2 < x1``)                      an empty box whose corners still count as a
                                                separation: EIoU in ``[-1, 0]``, loss ``>= 1``
    inverted *target* (deltas, a head without  as above, and a warning once per process
    ``reg_decoded_bbox=True``)                  (in the call, or at the deferred read)
    union below ``eps`` (boxes under            ``U_e`` floored at ``eps`` (as mmdet's IoU
    ``sqrt(eps)`` px, 1e-3 px by default)       losses): a finite loss in ``[0, 2**p]``,
                                                gradient 0 (the floor's slope, side / eps,
                                                would overflow float16)
    huge (1e5 px) boxes, float16 or bfloat16    computed in float32 (float64 for float64);
                                                per-box loss in the input dtype, a reduced
                                                loss in float32
    coordinates beyond float16's range          inf already in the input: as below
    a coordinate beyond 1.2e18 (8.4e152 in      as inf: its areas would overflow the compute
    float64)                                    dtype (``ops.nonfinite.coordinate_limit``)
    inf/nan in a box, prior or weight (also in  ``ValueError`` naming the argument, in the
    a row whose weight is 0)                    call or at the deferred read
    prior of zero or negative area (degenerate  area floored at ``eps``: SOT factor
    or inverted)                                ``U_e / eps``, at most ``sot_max``
    weight 0                                    loss 0, gradient 0, not in the statistics
    negative weight                             as mmdet's losses: the row's loss times its
                                                weight (negative)
    ``power`` < 1 or inf, ``sot_max`` <= 0,     ``ValueError`` naming the argument, at
    ``eps`` <= 0                                construction
    boxes not ``(N, 4)``, integer boxes         ``ValueError`` / ``TypeError``
    no box (``N = 0``)                          0 (``(0,)`` for ``'none'``), gradients
                                                ``(0, 4)``
    ==========================================  ============================================
    """

    def __init__(self,
                 power: float = 2.0,
                 sot: bool = False,
                 sot_max: float = 10.0,
                 eps: float = 1e-6,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 zero_weight_rows: str = 'auto',
                 nonfinite_check: str = 'auto',
                 symmetric: bool = False) -> None:
        super().__init__()
        check_loss_args(power, sot_max, eps)
        if reduction not in ('none', 'mean', 'sum'):
            raise ValueError(f'reduction must be none, mean or sum, got {reduction!r}')
        if zero_weight_rows not in ('auto', 'select', 'mask'):
            raise ValueError('zero_weight_rows must be auto, select or mask, got '
                             f'{zero_weight_rows!r}')
        if nonfinite_check not in ('auto', 'immediate', 'deferred'):
            raise ValueError('nonfinite_check must be auto, immediate or deferred, got '
                             f'{nonfinite_check!r}')
        self.power = power
        self.sot = sot
        self.sot_max = sot_max
        self.eps = eps
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.zero_weight_rows = zero_weight_rows
        self.nonfinite_check = nonfinite_check
        self.symmetric = symmetric
        #: whether something reads the deferred check: set by EIoUStatsHook, which calls
        #: raise_if_nonfinite() after each training iteration, and by that call itself
        self.nonfinite_read_per_iteration = False
        self._nonfinite = NonFiniteFlag()
        #: whether something reads pop_stats(): set by that call, and by EIoUStatsHook
        #: before the first iteration; until then no statistics are computed
        self.stats_read = False
        # running sums since the last pop_stats()
        self._stats: Dict[str, Union[Tensor, float]] = {}

    def forward(self,
                pred: Tensor,
                target: Tensor,
                weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                priors: Optional[Tensor] = None,
                **kwargs) -> Tensor:
        """Compute the loss.

        Args:
            pred (Tensor): predicted boxes ``(N, 4)``, ``(x1, y1, x2, y2)``.
            target (Tensor): target boxes ``(N, 4)``.
            weight (Tensor, optional): ``(N,)`` or ``(N, 4)`` (averaged over the last dim, as
                mmdet's IoU losses do). Boxes with zero weight get loss 0 and gradient 0; a
                negative weight multiplies its row's loss, as in mmdet's losses.
            avg_factor (float, optional): divisor of the summed loss for ``'mean'``.
            reduction_override (str, optional): ``'none'``, ``'mean'`` or ``'sum'``.
            priors (Tensor, optional): ``(N, 4)`` prior of each box (anchor or proposal),
                whose area is SOT's unit (Sec. IV, Algorithm 2).

        Returns:
            The loss. For float16/bfloat16 input the per-box loss is in the input dtype and a
            reduced loss stays float32. An empty batch gives 0 (``(0,)`` for ``'none'``) and
            zero gradients of shape ``(0, 4)`` to the boxes that require one.
        """
        if reduction_override not in (None, 'none', 'mean', 'sum'):
            # AssertionError, as every mmdet loss refuses it, but not an assert: python -O
            # would drop that
            raise AssertionError('reduction_override must be None, none, mean or sum, got '
                                 f'{reduction_override!r}')
        reduction = reduction_override if reduction_override else self.reduction
        check_boxes(pred, target)
        if weight is not None and weight.dim() > 1:
            assert weight.shape == pred.shape, (weight.shape, pred.shape)
            weight = weight.mean(-1)
        sot_area = None
        if self.sot and priors is not None:
            # in the compute dtype (a 256 px prior's area overflows float16); an inverted
            # prior has area 0, as an inverted box
            priors = priors.to(compute_dtype(pred.dtype))
            sot_area = ((priors[:, 2] - priors[:, 0]).clamp(min=0)
                        * (priors[:, 3] - priors[:, 1]).clamp(min=0))

        # the reduction's divisor and the loss weight, as one factor of the kernel when they
        # are numbers (a mean's N, avg_factor mostly): no autograd node each
        divisor = _divisor(reduction, avg_factor, pred.size(0))
        multiplier = self.loss_weight
        if divisor is None or isinstance(divisor, (int, float)):
            multiplier, divisor = multiplier / (divisor or 1), None
        # rows with weight 0 are left out; a negative weight counts, as in mmdet's losses
        rows = self._rows_to_compute(weight)
        boxes = (pred, target, sot_area, weight)
        if rows is not None:
            boxes = tuple(None if x is None else x[rows] for x in boxes)
        loss, eiou, scale, finite = eiou_loss_in_compute_dtype(
            boxes[0], boxes[1], self.power, self.eps, self.sot, boxes[2], self.sot_max,
            self.symmetric, weight=boxes[3], reduce=reduction != 'none',
            multiplier=multiplier)
        if rows is not None:  # every row is checked, the rows left out too
            finite = finite & finite_vector(pred, target, sot_area, weight)
        if self._defers_nonfinite_check(pred.device):
            self._nonfinite.record(finite)
        else:
            raise_if_nonfinite(finite)
        if self.training and self.stats_read:  # (selected rows are all kept)
            self._accumulate(eiou, scale, None if weight is None or rows is not None
                             else weight != 0)

        if rows is not None and reduction == 'none':
            loss = loss.new_zeros(pred.size(0)).index_put((rows, ), loss)
        if divisor is not None:  # a tensor avg_factor
            loss = loss / divisor
        return loss.to(pred.dtype) if reduction == 'none' else loss

    def _rows_to_compute(self, weight: Optional[Tensor]) -> Optional[Tensor]:
        """``zero_weight_rows='select'``: the indices of the rows with a weight when some have
        none; ``None``: every row is computed, and a zero weight multiplies its row's loss and
        gradient out (every row's boxes are checked to be finite and in range, where the loss
        is). A weight that requires a gradient gets one in every row: every row is computed."""
        if weight is None or weight.requires_grad or self.zero_weight_rows != 'select':
            return None
        kept = weight != 0
        return None if bool(kept.all()) else kept.nonzero(as_tuple=True)[0]

    def _defers_nonfinite_check(self, device: torch.device) -> bool:
        return defers_nonfinite_check(self.nonfinite_check, device, self.training,
                                      self.nonfinite_read_per_iteration)

    def raise_if_nonfinite(self) -> None:
        """Raise the non-finite input error if a deferred check recorded one since the last
        call (one host synchronisation), and clear the record. Calling it declares a reader:
        from then on ``nonfinite_check='deferred'`` leaves the check to it."""
        self.nonfinite_read_per_iteration = True
        self._nonfinite.raise_if_set()

    def _accumulate(self, eiou: Tensor, scale: Optional[Tensor],
                    kept: Optional[Tensor]) -> None:
        """Add this call's pairs to the running sums (detached tensors, or a float where the
        count is known on the host: no synchronisation)."""
        disjoint = eiou <= 0
        if kept is None:  # every pair counts: no mask to build and multiply by
            # the count is known on the host: a float, not a tensor (a host-to-GPU copy waits)
            sums = {'pairs': float(eiou.numel()), 'disjoint': disjoint.sum()}
            if scale is not None:
                sums['sot_scale'] = scale.detach().sum()
        else:
            counted = kept.to(eiou.dtype)
            sums = {'pairs': counted.sum(), 'disjoint': (disjoint * counted).sum()}
            if scale is not None:
                sums['sot_scale'] = (scale.detach() * counted).sum()
        for key, value in sums.items():
            self._stats[key] = self._stats[key] + value if key in self._stats else value

    def pop_stats(self) -> Dict[str, float]:
        """What the loss saw since the last call, and reset: the number of ``pairs`` with
        non-zero weight, the fraction ``disjoint_frac`` of them with ``EIoU <= 0`` and, with
        SOT, their mean ``sot_scale``. Empty when no pair was seen. Calling it declares a
        reader: the loss counts from then on (``stats_read``)."""
        self.stats_read = True
        stats, self._stats = self._stats, {}
        pairs = float(stats['pairs']) if stats else 0.
        if pairs == 0:
            return {}
        out = {'pairs': pairs, 'disjoint_frac': float(stats['disjoint']) / pairs}
        if 'sot_scale' in stats:
            out['sot_scale'] = float(stats['sot_scale']) / pairs
        return out


def _divisor(reduction: str, avg_factor, n: int):
    """What the summed loss is divided by, by mmdet's rules (``weight_reduce_loss``); ``None``
    for nothing. The mean over no box is 0 (mmdet's is NaN): the empty sum, which keeps the
    graph to both boxes (DDP needs every parameter used)."""
    if avg_factor is None:
        return n if reduction == 'mean' and n > 1 else None
    if reduction == 'mean':
        return avg_factor + torch.finfo(torch.float32).eps
    if reduction == 'sum':
        raise ValueError('avg_factor can not be used with reduction="sum"')
    return None


def defers_nonfinite_check(mode: str, device: torch.device, training: bool,
                           read_per_iteration: bool) -> bool:
    """Whether a loss with ``nonfinite_check=mode`` records non-finite boxes in its flag
    instead of raising in the call (see :class:`EIoULoss`)."""
    if mode == 'auto':
        return device.type == 'cuda' and training and read_per_iteration
    return mode == 'deferred' and read_per_iteration  # never deferred to no reader


def eiou_losses(model: nn.Module) -> list:
    """Every ``mmdet_eiou.EIoULoss`` in ``model`` (an mmengine model wrapper is unwrapped)."""
    model = getattr(model, 'module', model)
    return [m for m in model.modules() if isinstance(m, EIoULoss)]


def set_sot(model: nn.Module, enabled: bool) -> int:
    """Switch SOT on or off for every ``mmdet_eiou.EIoULoss`` in ``model``; return how many."""
    losses = eiou_losses(model)
    for loss in losses:
        loss.sot = bool(enabled)
    return len(losses)
