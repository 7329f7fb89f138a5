# Table I row 8, the full method: + IoU head, trained on the IoU the EIoU loss computed.
_base_ = './faster-rcnn_r50_fpn_7-eiou-ct-sot_20k_voc0712.py'
model = dict(
    roi_head=dict(type='mmdet_eiou.IoURoIHead', bbox_head=dict(type='mmdet_eiou.IoUHead')),
    test_cfg=dict(rcnn=dict(iou_guided=dict(mode='fusion', alpha=0.5))))
