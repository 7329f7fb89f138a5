# Table II: GIoU loss on decoded boxes (loss weight 2, as mmdet's dense-head IoU configs).
_base_ = './retinanet_r50_fpn_1-smoothl1_20k_voc0712.py'
model = dict(
    bbox_head=dict(
        reg_decoded_bbox=True, loss_bbox=dict(_delete_=True, type='GIoULoss', loss_weight=2.0)))
