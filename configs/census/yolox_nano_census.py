# Census of disjoint positive pairs (eiou_lab.DisjointCensusHook): YOLOX with EIoU p = 1.
_base_ = '../synthetic/yolox_nano_2-eiou_precision.py'
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='eiou_lab.DisjointCensusHook')]
