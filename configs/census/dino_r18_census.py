# Census of disjoint positive pairs (mmdet_eiou.DisjointCensusHook): DINO with EIoU p = 1.
_base_ = '../synthetic/dino_r18_2-eiou_precision.py'
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='mmdet_eiou.DisjointCensusHook')]
