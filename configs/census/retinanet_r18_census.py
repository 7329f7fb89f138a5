# Census of disjoint positive pairs (eiou_lab.DisjointCensusHook): RetinaNet with EIoU p = 1
# (precision row 4 without CT).
_base_ = '../synthetic/retinanet_r18_4-eiou-ct_precision.py'
model = dict(bbox_head=dict(loss_bbox=dict(power=1.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='eiou_lab.DisjointCensusHook')]
