# DINO with the flip-invariant EIoU (symmetric=True: Eq. 16 averaged over the four corner
# origins), p = 1, in the loss and the match cost.
_base_ = './dino_r18_2-eiou_precision.py'

model = dict(
    bbox_head=dict(loss_iou=dict(symmetric=True)),
    train_cfg=dict(
        assigner=dict(match_costs=[
            dict(type='FocalLossCost', weight=2.0),
            dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
            dict(type='mmdet_eiou.EIoUCost', weight=2.0, symmetric=True)
        ])))
