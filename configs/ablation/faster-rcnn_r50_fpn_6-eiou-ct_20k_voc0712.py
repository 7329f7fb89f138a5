# Table I row 6: + CT, (1 - EIoU)^2 (Eq. 23).
_base_ = './faster-rcnn_r50_fpn_5-eiou_20k_voc0712.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(power=2.0))))
