# Table II CIoU row on the synthetic set (the change of ../ablation/retinanet_*_3-ciou_*).
_base_ = './retinanet_r18_2-giou_synthetic.py'
model = dict(bbox_head=dict(loss_bbox=dict(type='CIoULoss')))
