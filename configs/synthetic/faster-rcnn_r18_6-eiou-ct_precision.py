# The change of ./faster-rcnn_r18_6-eiou-ct_synthetic.py,
# on the precision track.
_base_ = './faster-rcnn_r18_5-eiou_precision.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(power=2.0))))
