# Table II: CIoU loss.
_base_ = './retinanet_r50_fpn_2-giou_20k_voc0712.py'
model = dict(bbox_head=dict(loss_bbox=dict(type='CIoULoss')))
