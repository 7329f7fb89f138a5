from .cpu_autocast_optim_wrapper import CPUAutocastOptimWrapper, enable_amp
from .float32_for_mmcv_ops import float32_for_mmcv_ops

__all__ = ['CPUAutocastOptimWrapper', 'enable_amp', 'float32_for_mmcv_ops']
