# Table I row 6 on the synthetic set (the change of ../ablation/*_6-eiou-ct_*).
_base_ = './faster-rcnn_r18_5-eiou_synthetic.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(power=2.0))))
