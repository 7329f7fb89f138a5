# The precision track for DETR-style models: mmdet's DINO optimiser (AdamW, gradient clipping
# at 0.1) at the lr of its Deformable DETR (2e-4), without the backbone's 0.1 lr multiplier
# (ours is trained from scratch); data and schedule as ./precision_track.py.
_base_ = './precision_track.py'

optim_wrapper = dict(
    optimizer=dict(lr=0.0002, weight_decay=0.0001), clip_grad=dict(max_norm=0.1, norm_type=2))
