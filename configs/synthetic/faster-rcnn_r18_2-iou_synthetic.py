# Table I row 2 on the synthetic set (the change of ../ablation/*_2-iou_*).
_base_ = './faster-rcnn_r18_1-smoothl1_synthetic.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            reg_decoded_bbox=True,
            loss_bbox=dict(_delete_=True, type='IoULoss', loss_weight=10.0))))
