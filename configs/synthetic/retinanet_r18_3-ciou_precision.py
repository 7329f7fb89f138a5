# The change of ./retinanet_r18_3-ciou_synthetic.py,
# on the precision track.
_base_ = './retinanet_r18_2-giou_precision.py'
model = dict(bbox_head=dict(loss_bbox=dict(type='CIoULoss')))
