# The change of ./retinanet_r18_6-eiou-ct-sot-iouhead_synthetic.py,
# on the precision track.
_base_ = './retinanet_r18_5-eiou-ct-sot_precision.py'
model = dict(
    bbox_head=dict(loss_iou=dict(_delete_=True, type='mmdet_eiou.IoUKLLoss', loss_weight=1.0)),
    test_cfg=dict(iou_guided=dict(mode='fusion', alpha=0.5)))
