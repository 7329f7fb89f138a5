# Table I row 4 on the synthetic set (the change of ../ablation/*_4-smoothl1-iouhead_*).
_base_ = './faster-rcnn_r18_1-smoothl1_synthetic.py'
model = dict(
    roi_head=dict(
        type='mmdet_eiou.IoURoIHead', bbox_head=dict(type='mmdet_eiou.IoUShared2FCBBoxHead')),
    test_cfg=dict(rcnn=dict(iou_guided=dict(mode='fusion', alpha=0.5))))
