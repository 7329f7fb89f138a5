# Extra row (linear IoU loss) on the synthetic set (the change of ../ablation/*_x-iou-linear_*).
_base_ = './faster-rcnn_r18_2-iou_synthetic.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(mode='linear'))))
