"""``mmdet_eiou.EIoUStatsHook``: log what every ``mmdet_eiou.EIoULoss`` saw in an iteration, and
raise the losses' deferred non-finite check."""
from typing import List, Optional

from mmengine.hooks import Hook, LoggerHook

from mmdet_eiou.models.losses import EIoULoss, eiou_losses
from mmdet_eiou.registry import HOOKS

# The losses' statistics (EIoULoss.pop_stats) and the names they are logged under.
LOGGED_NAMES = {'disjoint_frac': 'eiou_disjoint_frac', 'sot_scale': 'sot_scale'}


@HOOKS.register_module()
class EIoUStatsHook(Hook):
    """Log, each training iteration, the fraction of positive pairs that did not overlap
    (``train/eiou_disjoint_frac``: where EIoU differs from IoU) and, with SOT, the mean SOT
    factor (``train/sot_scale``), over every call of every ``mmdet_eiou.EIoULoss`` (all FPN
    levels, all heads) in that iteration. The host synchronises here, once per iteration, not
    in the loss calls.

    It also reads the losses' deferred non-finite check
    (:mod:`mmdet_eiou.ops.nonfinite`): a loss whose ``nonfinite_check`` is ``'auto'`` defers
    it on CUDA in training when this hook reads it (no host synchronisation per loss call;
    the hook sets the loss's ``nonfinite_read_per_iteration``), or always when
    ``'deferred'``. A non-finite box seen in an iteration raises the loss's usual
    ``ValueError`` here, at the end of that iteration (before the checkpoint hook saves it).

    Each logged value is the mean of the per-iteration values over the logging window (the
    ``interval`` iterations since the last log line), not the last iteration's: the hook adds a
    ``method_name='mean'``, ``window_size=interval`` entry per key to the runner's
    ``log_processor.custom_cfg`` (mmengine logs a scalar it has no entry for, and whose name
    does not look like a loss or a time, as its current value). A ``custom_cfg`` entry the
    config already gives for a key (its ``log_name``) is left as it is. An iteration in which no
    loss saw a positive pair records nothing, so its window reaches one iteration further back.

    A model without our loss logs nothing. Put it in ``custom_hooks``.
    """
    priority = 'NORMAL'  # before LoggerHook (BELOW_NORMAL), so the values show in this iter

    def __init__(self) -> None:
        self._losses: List[EIoULoss] = []

    def before_train(self, runner) -> None:
        self._losses = eiou_losses(runner.model)
        for loss in self._losses:
            loss.nonfinite_read_per_iteration = True
            loss.stats_read = True
        if self._losses:
            self._log_window_means(runner)

    @staticmethod
    def _log_window_means(runner) -> None:
        """Have the log processor log each of our keys as its mean over the logging interval."""
        intervals = [hook.interval for hook in runner.hooks if isinstance(hook, LoggerHook)]
        if not intervals:  # nothing is logged
            return
        processor = runner.log_processor
        configured = {cfg.get('log_name', cfg['data_src']) for cfg in processor.custom_cfg}
        processor.custom_cfg = list(processor.custom_cfg) + [
            dict(data_src=name, method_name='mean', window_size=intervals[0])
            for name in LOGGED_NAMES.values() if name not in configured]

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        for loss in self._losses:
            loss.pop_stats()  # start the iteration from zero (e.g. after a validation)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        for loss in self._losses:
            loss.raise_if_nonfinite()
        # Pair-weighted means over the losses.
        totals = {}
        for loss in self._losses:
            stats = loss.pop_stats()
            n = stats.pop('pairs', 0.)
            for key, value in stats.items():
                total, weight = totals.get(key, (0., 0.))
                totals[key] = (total + value * n, weight + n)
        for key, (total, weight) in totals.items():
            runner.message_hub.update_scalar(f'train/{LOGGED_NAMES[key]}', total / weight)
