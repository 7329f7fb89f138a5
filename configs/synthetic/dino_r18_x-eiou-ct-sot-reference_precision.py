# Row 3 (EIoU + CT + SOT) with SOT's unit the reference box each decoder layer refines
# (mmdet_eiou.PriorsToLossDINOHead hands them to the loss as priors) instead of the target:
# the candidate unit of docs/results.md, section 5, measured against the target's on val.
_base_ = './dino_r18_3-eiou-ct-sot_precision.py'

model = dict(bbox_head=dict(type='mmdet_eiou.PriorsToLossDINOHead'))
