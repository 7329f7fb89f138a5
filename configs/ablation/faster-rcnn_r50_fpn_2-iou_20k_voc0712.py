# Table I row 2: the standard IoU loss on decoded boxes (loss weight as mmdet's IoU configs).
_base_ = './faster-rcnn_r50_fpn_1-smoothl1_20k_voc0712.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            reg_decoded_bbox=True,
            loss_bbox=dict(_delete_=True, type='IoULoss', loss_weight=10.0))))
