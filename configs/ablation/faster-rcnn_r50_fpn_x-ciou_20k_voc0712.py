# Extra row (Table II): CIoU loss in place of GIoU.
_base_ = './faster-rcnn_r50_fpn_3-giou_20k_voc0712.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(type='CIoULoss'))))
