# EIoU + CT for RetinaNet on the synthetic set (the change of ../ablation/retinanet_*_4-*).
_base_ = './retinanet_r18_2-giou_synthetic.py'
model = dict(bbox_head=dict(loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=2.0)))
