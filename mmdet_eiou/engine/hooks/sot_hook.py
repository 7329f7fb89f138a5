"""``mmdet_eiou.SOTHook``: switch the steady optimisation technique (Eq. 28) on during training."""
from mmdet_eiou.registry import HOOKS
from .eiou_stats_hook import EIoUStatsHook


@HOOKS.register_module()
class SOTHook(EIoUStatsHook):
    """Turn SOT on for every ``mmdet_eiou.EIoULoss`` of the model and log its mean factor (as
    :class:`EIoUStatsHook`, which it extends: ``train/sot_scale``, ``train/eiou_disjoint_frac``).

    Put it in ``custom_hooks``. A config without this hook trains Table I row 6 (EIoU + CT);
    with it, row 7 (+ SOT). The hook owns the switch: it sets ``sot`` from ``runner.iter`` at
    every iteration, so a resumed run is switched exactly as an uninterrupted one, whatever the
    loss was built with. The losses are the ones :class:`EIoUStatsHook` collects once, before
    training (a model's modules do not change during it), not a walk of the model per
    iteration.

    Args:
        warmup_iters (int): iterations trained without SOT first.
    """

    def __init__(self, warmup_iters: int = 0) -> None:
        super().__init__()
        if warmup_iters < 0:
            raise ValueError(f'warmup_iters must be >= 0, got {warmup_iters}')
        self.warmup_iters = warmup_iters

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if not self._losses:
            raise RuntimeError(
                'SOTHook found no mmdet_eiou.EIoULoss in the model: SOT only acts on that loss '
                "(note that type='EIoULoss' in scope mmdet is mmdet's own, different loss)")
        runner.logger.info(f'SOTHook: SOT on {len(self._losses)} EIoULoss module(s) from '
                           f'iteration {self.warmup_iters}')

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        super().before_train_iter(runner, batch_idx, data_batch)
        enabled = runner.iter >= self.warmup_iters
        for loss in self._losses:
            loss.sot = enabled
