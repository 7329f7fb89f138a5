from .hooks import EIoUStatsHook, SOTHook
from .optimizers import CPUAutocastOptimWrapper, enable_amp, float32_for_mmcv_ops

__all__ = ['CPUAutocastOptimWrapper', 'EIoUStatsHook', 'SOTHook', 'enable_amp',
           'float32_for_mmcv_ops']
