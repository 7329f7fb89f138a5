# Extra row (CIoU) on the synthetic set (the change of ../ablation/*_x-ciou_*).
_base_ = './faster-rcnn_r18_3-giou_synthetic.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(type='CIoULoss'))))
