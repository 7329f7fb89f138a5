# The full method for RetinaNet on the synthetic set (the change of ../ablation/retinanet_*_6-*).
_base_ = './retinanet_r18_5-eiou-ct-sot_synthetic.py'
model = dict(
    bbox_head=dict(type='mmdet_eiou.IoURetinaHead'),
    test_cfg=dict(iou_guided=dict(mode='fusion', alpha=0.5)))
