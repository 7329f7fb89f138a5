# The EIoU variant of deformable-detr_r18_1-giou_precision.py, written by mmdet_eiou.to_eiou
_base_ = 'deformable-detr_r18_1-giou_precision.py'
custom_hooks = [
    dict(type='mmdet_eiou.EIoUStatsHook'),
]
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmdet_eiou',
        'eiou_lab.datasets',
    ])
model = dict(
    bbox_head=dict(
        loss_iou=dict(
            _delete_=True,
            loss_weight=2.0,
            power=1.0,
            sot=False,
            symmetric=False,
            type='mmdet_eiou.EIoULoss')),
    train_cfg=dict(
        assigner=dict(match_costs=[
            dict(type='FocalLossCost', weight=2.0),
            dict(box_format='xywh', type='BBoxL1Cost', weight=5.0),
            dict(symmetric=False, type='mmdet_eiou.EIoUCost', weight=2.0),
        ])))
