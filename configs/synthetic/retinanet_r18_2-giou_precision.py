# The change of ./retinanet_r18_2-giou_synthetic.py,
# on the precision track.
_base_ = './retinanet_r18_1-smoothl1_precision.py'
model = dict(
    bbox_head=dict(
        reg_decoded_bbox=True, loss_bbox=dict(_delete_=True, type='GIoULoss', loss_weight=2.0)))
