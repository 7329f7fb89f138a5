# Table I row 4: Smooth-L1 plus the IoU head (Sec. III-E); its target IoU comes from the
# decoded boxes, and the predicted IoU is fused into the score before NMS.
_base_ = './faster-rcnn_r50_fpn_1-smoothl1_20k_voc0712.py'
model = dict(
    roi_head=dict(
        type='mmdet_eiou.IoURoIHead', bbox_head=dict(type='mmdet_eiou.IoUShared2FCBBoxHead')),
    test_cfg=dict(rcnn=dict(iou_guided=dict(mode='fusion', alpha=0.5))))
