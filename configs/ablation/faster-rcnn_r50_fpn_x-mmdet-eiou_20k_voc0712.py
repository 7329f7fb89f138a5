# Extra row: mmdet's own EIoULoss (scope mmdet: EIoU with a Huber smoothing, no CT/SOT) in
# place of the IoU loss, for comparison with row 5/6.
_base_ = './faster-rcnn_r50_fpn_2-iou_20k_voc0712.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(type='EIoULoss'))))
