# Census of disjoint positive pairs (eiou_lab.DisjointCensusHook): Faster R-CNN, R-CNN head
# with EIoU p = 1 (precision row 5).
_base_ = '../synthetic/faster-rcnn_r18_5-eiou_precision.py'
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='eiou_lab.DisjointCensusHook')]
