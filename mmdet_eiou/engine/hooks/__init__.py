from .eiou_stats_hook import EIoUStatsHook
from .sot_hook import SOTHook

__all__ = ['EIoUStatsHook', 'SOTHook']
