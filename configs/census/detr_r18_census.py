# Census of disjoint positive pairs (eiou_lab.DisjointCensusHook): DETR with EIoU p = 1 in the
# loss and the match cost.
_base_ = ['../synthetic/_base_/models/detr_r18.py', '../synthetic/_base_/precision_track_detr.py']
model = dict(
    bbox_head=dict(loss_iou=dict(type='mmdet_eiou.EIoULoss', power=1.0, loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(match_costs=[
            dict(type='ClassificationCost', weight=1.),
            dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
            dict(type='mmdet_eiou.EIoUCost', weight=2.0)
        ])))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook'), dict(type='eiou_lab.DisjointCensusHook')]
