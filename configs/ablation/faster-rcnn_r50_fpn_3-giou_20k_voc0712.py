# Table I row 3: GIoU loss.
_base_ = './faster-rcnn_r50_fpn_2-iou_20k_voc0712.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(type='GIoULoss'))))
