# The change of ./faster-rcnn_r18_3-giou_synthetic.py,
# on the precision track.
_base_ = './faster-rcnn_r18_2-iou_precision.py'
# Tuned on val: GIoU's weight, from 5, 10 (mmdet's R-CNN default, the synthetic row's) and
# 20, by val AP: configs/studies/precision_faster-rcnn.py, tuning 'GIoU weight (row 3; ...)'
# (each point's numbers: docs/precision/val/faster-rcnn/results.md).
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(type='GIoULoss', loss_weight=5.0))))
