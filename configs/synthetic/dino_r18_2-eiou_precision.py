# DINO with EIoU (p = 1, no CT) in place of GIoU, in the loss and in the Hungarian match cost
# (mmdet_eiou.EIoUCost), at mmdet's weights. The pattern for mmdet's COCO DINO:
# configs/eiou/dino-4scale_r50_eiou_12e_coco.py.
_base_ = './dino_r18_1-giou_precision.py'

model = dict(
    bbox_head=dict(loss_iou=dict(type='mmdet_eiou.EIoULoss', power=1.0, loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(match_costs=[
            dict(type='FocalLossCost', weight=2.0),
            dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
            dict(type='mmdet_eiou.EIoUCost', weight=2.0)
        ])))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]
