# Table II GIoU row on the synthetic set (the change of ../ablation/retinanet_*_2-giou_*).
_base_ = './retinanet_r18_1-smoothl1_synthetic.py'
model = dict(
    bbox_head=dict(
        reg_decoded_bbox=True, loss_bbox=dict(_delete_=True, type='GIoULoss', loss_weight=2.0)))
