# Table II, ours step by step: EIoU with CT, (1 - EIoU)^2, in place of GIoU.
_base_ = './retinanet_r50_fpn_2-giou_20k_voc0712.py'
model = dict(bbox_head=dict(loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=2.0)))
