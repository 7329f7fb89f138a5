from .hooks import EIoUStatsHook, SOTHook
from .optimizers import CPUAutocastOptimWrapper, enable_amp

__all__ = ['CPUAutocastOptimWrapper', 'EIoUStatsHook', 'SOTHook', 'enable_amp']
