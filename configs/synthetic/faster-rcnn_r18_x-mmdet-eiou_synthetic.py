# Extra row (mmdet's own EIoULoss) on the synthetic set (change of ../ablation/*_x-mmdet-eiou_*).
_base_ = './faster-rcnn_r18_2-iou_synthetic.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(type='EIoULoss'))))
