# Table I row 5 on the synthetic set (the change of ../ablation/*_5-eiou_*).
_base_ = './faster-rcnn_r18_2-iou_synthetic.py'
model = dict(
    roi_head=dict(bbox_head=dict(loss_bbox=dict(type='mmdet_eiou.EIoULoss', power=1.0))))
