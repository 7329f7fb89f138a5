# Table I row 8 (the full method) on the synthetic set (the change of ../ablation/*_8-*).
_base_ = './faster-rcnn_r18_7-eiou-ct-sot_synthetic.py'
model = dict(
    roi_head=dict(
        type='mmdet_eiou.IoURoIHead',
        bbox_head=dict(loss_iou=dict(_delete_=True, type='mmdet_eiou.IoUKLLoss', loss_weight=1.0))),
    test_cfg=dict(rcnn=dict(iou_guided=dict(mode='fusion', alpha=0.5))))
