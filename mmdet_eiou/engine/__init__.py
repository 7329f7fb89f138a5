from .hooks import DisjointCensusHook, EIoUStatsHook, SOTHook
from .optimizers import CPUAutocastOptimWrapper, enable_amp, float32_for_mmcv_ops

__all__ = ['CPUAutocastOptimWrapper', 'DisjointCensusHook', 'EIoUStatsHook', 'SOTHook',
           'enable_amp', 'float32_for_mmcv_ops']
