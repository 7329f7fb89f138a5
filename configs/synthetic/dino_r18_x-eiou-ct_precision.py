# DINO with EIoU + CT (p = 2) in the loss, EIoU in the match cost, no SOT: row 3 without SOT,
# so that the study can tell CT's effect (against row 2) from SOT's (row 3 against this).
_base_ = './dino_r18_2-eiou_precision.py'

model = dict(bbox_head=dict(loss_iou=dict(power=2.0)))
