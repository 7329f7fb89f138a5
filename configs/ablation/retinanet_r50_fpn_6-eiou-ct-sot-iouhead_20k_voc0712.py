# Table II "ours", the full method: + IoU branch (Eq. 31-32), fused into the score before NMS.
_base_ = './retinanet_r50_fpn_5-eiou-ct-sot_20k_voc0712.py'
model = dict(
    bbox_head=dict(loss_iou=dict(_delete_=True, type='mmdet_eiou.IoUKLLoss', loss_weight=1.0)),
    test_cfg=dict(iou_guided=dict(mode='fusion', alpha=0.5)))
