# DINO with the paper's loss: EIoU + CT (p = 2) + SOT, EIoU in the match cost. A DETR-style head
# has no anchor: SOT's unit is the target's area (EIoULoss without priors).
_base_ = './dino_r18_2-eiou_precision.py'

model = dict(bbox_head=dict(loss_iou=dict(power=2.0)))
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
