from .disjoint_census_hook import DisjointCensusHook
from .eiou_stats_hook import EIoUStatsHook
from .sot_hook import SOTHook

__all__ = ['DisjointCensusHook', 'EIoUStatsHook', 'SOTHook']
