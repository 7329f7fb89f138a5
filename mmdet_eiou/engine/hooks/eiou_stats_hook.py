"""``mmdet_eiou.EIoUStatsHook``: log what every ``mmdet_eiou.EIoULoss`` saw in an iteration."""
from typing import List, Optional

from mmengine.hooks import Hook

from mmdet_eiou.models.losses import EIoULoss, eiou_losses
from mmdet_eiou.registry import HOOKS


@HOOKS.register_module()
class EIoUStatsHook(Hook):
    """Log, each training iteration, the fraction of positive pairs that did not overlap
    (``train/eiou_disjoint_frac``: where EIoU differs from IoU) and, with SOT, the mean SOT
    factor (``train/sot_scale``), over every call of every ``mmdet_eiou.EIoULoss`` (all FPN
    levels, all heads) in that iteration. One host synchronisation per iteration, here.

    A model without our loss logs nothing. Put it in ``custom_hooks``.
    """
    priority = 'NORMAL'  # before LoggerHook (BELOW_NORMAL), so the values show in this iter

    def __init__(self) -> None:
        self._losses: List[EIoULoss] = []

    def before_train(self, runner) -> None:
        self._losses = eiou_losses(runner.model)

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        for loss in self._losses:
            loss.pop_stats()  # start the iteration from zero (e.g. after a validation)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        # Pair-weighted means over the losses.
        totals = {}
        for loss in self._losses:
            stats = loss.pop_stats()
            n = stats.pop('pairs', 0.)
            for key, value in stats.items():
                total, weight = totals.get(key, (0., 0.))
                totals[key] = (total + value * n, weight + n)
        names = {'disjoint_frac': 'eiou_disjoint_frac', 'sot_scale': 'sot_scale'}
        for key, (total, weight) in totals.items():
            runner.message_hub.update_scalar(f'train/{names[key]}', total / weight)
