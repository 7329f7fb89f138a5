# Census of disjoint positive pairs (mmdet_eiou.DisjointCensusHook): YOLOX with EIoU p = 1.
_base_ = '../synthetic/yolox_nano_2-eiou_precision.py'
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='mmdet_eiou.DisjointCensusHook')]
