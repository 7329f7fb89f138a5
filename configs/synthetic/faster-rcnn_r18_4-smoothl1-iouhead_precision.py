# The change of ./faster-rcnn_r18_4-smoothl1-iouhead_synthetic.py,
# on the precision track.
_base_ = './faster-rcnn_r18_1-smoothl1_precision.py'
model = dict(
    roi_head=dict(
        type='mmdet_eiou.IoURoIHead', bbox_head=dict(type='mmdet_eiou.IoUShared2FCBBoxHead')),
    test_cfg=dict(rcnn=dict(iou_guided=dict(mode='fusion', alpha=0.5))))
