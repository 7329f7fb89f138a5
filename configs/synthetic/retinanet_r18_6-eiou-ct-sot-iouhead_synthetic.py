# The full method for RetinaNet on the synthetic set (the change of ../ablation/retinanet_*_6-*).
_base_ = './retinanet_r18_5-eiou-ct-sot_synthetic.py'
model = dict(
    bbox_head=dict(loss_iou=dict(_delete_=True, type='mmdet_eiou.IoUKLLoss', loss_weight=1.0)),
    test_cfg=dict(iou_guided=dict(mode='fusion', alpha=0.5)))
