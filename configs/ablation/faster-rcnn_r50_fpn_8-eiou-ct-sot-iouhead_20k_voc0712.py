# Table I row 8, the full method: + IoU head (Eq. 31-32), whose predicted IoU is fused into
# the score before NMS.
_base_ = './faster-rcnn_r50_fpn_7-eiou-ct-sot_20k_voc0712.py'
model = dict(
    roi_head=dict(
        type='mmdet_eiou.IoURoIHead',
        bbox_head=dict(loss_iou=dict(_delete_=True, type='mmdet_eiou.IoUKLLoss', loss_weight=1.0))),
    test_cfg=dict(rcnn=dict(iou_guided=dict(mode='fusion', alpha=0.5))))
