# Extra row beside row 2: the linear IoU loss, 1 - IoU, in place of mmdet's default -ln(IoU)
# (UnitBox). Where no positive pair is disjoint, 1 - EIoU equals it exactly (row 5 minus this
# row then measures the coder alone).
_base_ = './faster-rcnn_r50_fpn_2-iou_20k_voc0712.py'
model = dict(roi_head=dict(bbox_head=dict(loss_bbox=dict(mode='linear'))))
