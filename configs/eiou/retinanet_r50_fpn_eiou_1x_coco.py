# mmdet's RetinaNet R50-FPN 1x COCO with the full method: EIoU + CT loss on decoded boxes
# regressed by the Sec. IV corner coder, SOT in anchor units, and the IoU branch with
# IoU-guided score fusion; COCO AP plus AP90.
_base_ = 'mmdet::retinanet/retinanet_r50_fpn_1x_coco.py'
custom_imports = dict(imports=['mmdet_eiou'], allow_failed_imports=False)
model = dict(
    bbox_head=dict(
        type='mmdet_eiou.IoURetinaHead',
        reg_decoded_bbox=True,
        bbox_coder=dict(
            _delete_=True, type='mmdet_eiou.CornerDeltaBBoxCoder', target_stds=[1.0] * 4),
        loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=2.0, loss_weight=2.0)),
    test_cfg=dict(iou_guided=dict(mode='fusion', alpha=0.5)))
custom_hooks = [dict(type='mmdet_eiou.SOTHook')]
val_evaluator = dict(type='mmdet_eiou.CocoAP90Metric', ap_iou_thrs=(0.9, ))
test_evaluator = val_evaluator
