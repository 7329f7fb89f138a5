"""``--amp`` on any host: mmengine's AmpOptimWrapper on CUDA, bfloat16 autocast on CPU.

mmengine 0.10.7's ``AmpOptimWrapper`` asserts a GPU (or NPU/MLU/MUSA), so mmdet's ``--amp`` fails
on a CPU-only host. There we train under ``torch.autocast('cpu', dtype=torch.bfloat16)``:
bfloat16 has float32's exponent range, so no loss scaling is needed. mmcv's compiled ops
have no bfloat16 CPU kernels: within each step they get float32 (``float32_for_mmcv_ops``).
"""
from contextlib import contextmanager

import torch
from mmengine.optim import OptimWrapper

from mmdet_eiou.registry import OPTIM_WRAPPERS
from .float32_for_mmcv_ops import float32_for_mmcv_ops


@OPTIM_WRAPPERS.register_module()
class CPUAutocastOptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward runs under CPU autocast (bfloat16 by default), with
    mmcv's ops in float32."""

    def __init__(self, dtype: str = 'bfloat16', **kwargs) -> None:
        super().__init__(**kwargs)
        if dtype not in ('bfloat16', 'float16'):
            raise ValueError(f"CPU autocast supports 'bfloat16' or 'float16', got {dtype!r}")
        self.cast_dtype = getattr(torch, dtype)

    @contextmanager
    def optim_context(self, model):
        with super().optim_context(model), torch.autocast('cpu', dtype=self.cast_dtype), \
                float32_for_mmcv_ops(model):
            yield


def enable_amp(cfg) -> None:
    """What mmdet's ``tools/train.py --amp`` does, with a CPU fallback."""
    wrapper_type = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if wrapper_type in ('AmpOptimWrapper', 'mmdet_eiou.CPUAutocastOptimWrapper'):
        return
    if wrapper_type != 'OptimWrapper':
        raise RuntimeError(f'--amp needs optim_wrapper.type OptimWrapper, got {wrapper_type}')
    if torch.cuda.is_available():
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    else:
        cfg.optim_wrapper.type = 'mmdet_eiou.CPUAutocastOptimWrapper'
