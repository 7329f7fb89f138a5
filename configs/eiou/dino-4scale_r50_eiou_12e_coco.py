# mmdet's DINO 4-scale R-50 12e COCO with EIoU in place of GIoU, in the box loss (p = 1: the
# extended IoU alone, no CT) and in the Hungarian match cost (mmdet_eiou.EIoUCost), at mmdet's
# weights (2.0); COCO AP plus AP90. The paper's CT and SOT on top: loss_iou power=2.0,
# custom_hooks = [dict(type='mmdet_eiou.SOTHook')] and bbox_head type
# 'mmdet_eiou.PriorsToLossDINOHead' (SOT in units of each decoder layer's reference box; with
# mmdet's head the unit is the target's area). flip-invariant EIoU: symmetric=True in the loss
# and the cost.
# What changes on the precision track: configs/studies/beyond-anchors_dino.py.
_base_ = 'mmdet::dino/dino-4scale_r50_8xb2-12e_coco.py'
custom_imports = dict(imports=['mmdet_eiou'], allow_failed_imports=False)
model = dict(
    bbox_head=dict(
        loss_iou=dict(_delete_=True, type='mmdet_eiou.EIoULoss', power=1.0, loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(match_costs=[
            dict(type='FocalLossCost', weight=2.0),
            dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
            dict(type='mmdet_eiou.EIoUCost', weight=2.0)
        ])))
custom_hooks = [dict(type='mmdet_eiou.EIoUStatsHook')]  # logs the disjoint fraction
val_evaluator = dict(type='mmdet_eiou.CocoAP90Metric', ap_iou_thrs=(0.9, ))
test_evaluator = val_evaluator
