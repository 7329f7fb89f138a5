# Table I row 5: EIoU loss without CT, 1 - EIoU (power 1), in place of the IoU loss.
_base_ = './faster-rcnn_r50_fpn_2-iou_20k_voc0712.py'
model = dict(
    roi_head=dict(bbox_head=dict(loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=1.0))))
