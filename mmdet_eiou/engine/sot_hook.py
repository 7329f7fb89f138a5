"""``mmdet_eiou.SOTHook``: switch the steady optimisation technique (Eq. 28) on during training."""
from typing import List, Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmdet_eiou.models.losses import EIoULoss
from mmdet_eiou.registry import HOOKS


@HOOKS.register_module()
class SOTHook(Hook):
    """Turn SOT on for every ``mmdet_eiou.EIoULoss`` of the model and log its mean factor.

    Put it in ``custom_hooks``. A config without this hook trains Table I row 6 (EIoU + CT);
    with it, row 7 (+ SOT). The state follows ``runner.iter`` at every iteration, so a resumed
    run is switched exactly as an uninterrupted one.

    Args:
        warmup_iters (int): iterations trained without SOT first.
        log_name (str): the mean SOT factor of the iteration is logged as ``train/<log_name>``.
    """
    priority = 'NORMAL'  # before LoggerHook (BELOW_NORMAL), so the factor shows in this iter

    def __init__(self, warmup_iters: int = 0, log_name: str = 'sot_scale') -> None:
        if warmup_iters < 0:
            raise ValueError(f'warmup_iters must be >= 0, got {warmup_iters}')
        self.warmup_iters = warmup_iters
        self.log_name = log_name
        self._losses: List[EIoULoss] = []

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        self._losses = [m for m in model.modules() if isinstance(m, EIoULoss)]
        if not self._losses:
            raise RuntimeError(
                'SOTHook found no mmdet_eiou.EIoULoss in the model: SOT only acts on that loss '
                "(note that type='EIoULoss' in scope mmdet is mmdet's own, different loss)")
        runner.logger.info(f'SOTHook: SOT on {len(self._losses)} EIoULoss module(s) from '
                           f'iteration {self.warmup_iters}')

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        active = runner.iter >= self.warmup_iters
        for loss in self._losses:
            loss.sot = active
            loss.last_sot_scale = None  # a loss that sees no box this iteration reports nothing

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        scales = [loss.last_sot_scale for loss in self._losses
                  if loss.sot and loss.last_sot_scale is not None]
        if scales:
            runner.message_hub.update_scalar(f'train/{self.log_name}',
                                             torch.stack(scales).mean().item())
