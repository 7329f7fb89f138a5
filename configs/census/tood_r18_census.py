# Census of disjoint positive pairs (eiou_lab.DisjointCensusHook): TOOD (task-aligned
# assignment from the first iteration: score x IoU^6 over the points inside each ground truth),
# EIoU p = 1 in place of its GIoU loss at mmdet's weight.
_base_ = ['../synthetic/_base_/models/tood_r18.py', '../synthetic/_base_/precision_track.py']
model = dict(
    bbox_head=dict(
        loss_bbox=dict(_delete_=True, type='mmdet_eiou.EIoULoss', power=1.0, loss_weight=2.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='eiou_lab.DisjointCensusHook')]
