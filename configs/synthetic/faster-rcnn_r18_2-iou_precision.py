# The change of ./faster-rcnn_r18_2-iou_synthetic.py,
# on the precision track.
_base_ = './faster-rcnn_r18_1-smoothl1_precision.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(
            reg_decoded_bbox=True,
            loss_bbox=dict(_delete_=True, type='IoULoss', loss_weight=10.0))))
