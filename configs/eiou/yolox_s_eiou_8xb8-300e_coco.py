# mmdet's YOLOX-S 300e COCO with EIoU (p = 1) in place of IoULoss(mode='square'), whose
# gradient is zero on the disjoint pairs SimOTA assigns (candidates up to 2.5 strides from the
# centre); mmdet's weight (5.0) and reduction ('sum'); COCO AP plus AP90. YOLOX's own hooks
# (mode switch, sync norm, EMA) are kept: add dict(type='mmdet_eiou.EIoUStatsHook') to them to
# log the disjoint fraction.
_base_ = 'mmdet::yolox/yolox_s_8xb8-300e_coco.py'
custom_imports = dict(imports=['mmdet_eiou'], allow_failed_imports=False)
model = dict(
    bbox_head=dict(
        loss_bbox=dict(
            _delete_=True, type='mmdet_eiou.EIoULoss', power=1.0, reduction='sum',
            loss_weight=5.0)))
val_evaluator = dict(type='mmdet_eiou.CocoAP90Metric', ap_iou_thrs=(0.9, ))
test_evaluator = val_evaluator
