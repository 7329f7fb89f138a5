# Census of disjoint positive pairs (eiou_lab.DisjointCensusHook): VFNet (ATSS assignment, a
# first box and a refined one), EIoU p = 1 in place of both GIoU losses at mmdet's weights; the
# census pools the pairs of both.
_base_ = ['../synthetic/_base_/models/vfnet_r18.py', '../synthetic/_base_/precision_track.py']
model = dict(
    bbox_head=dict(
        loss_bbox=dict(_delete_=True, type='mmdet_eiou.EIoULoss', power=1.0, loss_weight=1.5),
        loss_bbox_refine=dict(
            _delete_=True, type='mmdet_eiou.EIoULoss', power=1.0, loss_weight=2.0)))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='eiou_lab.DisjointCensusHook')]
