# Table II "ours", the full method: + IoU branch, trained on the IoU the EIoU loss computed.
_base_ = './retinanet_r50_fpn_5-eiou-ct-sot_20k_voc0712.py'
model = dict(
    bbox_head=dict(type='mmdet_eiou.IoURetinaHead'),
    test_cfg=dict(iou_guided=dict(mode='fusion', alpha=0.5)))
