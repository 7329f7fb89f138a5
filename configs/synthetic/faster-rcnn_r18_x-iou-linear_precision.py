# The change of ./faster-rcnn_r18_x-iou-linear_synthetic.py,
# on the precision track.
_base_ = './faster-rcnn_r18_2-iou_precision.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(mode='linear'))))
